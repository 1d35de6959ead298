-- paypipe 0003: each customer's past folded into what the features read (StoredState in
-- src/inference/features/stored-state.ts), as JSON text (never queried inside, so not jsonb), updated in
-- the transaction that stores each of their events. Derived data: a missing, NULL or unreadable state is
-- rebuilt from payment_events at the customer's next stored event. Kept in step with ../sqlite/.
CREATE TABLE customer_state (
  customer_id TEXT PRIMARY KEY,
  state TEXT
);
