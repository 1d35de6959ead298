-- paypipe 0003: each customer's past folded into what the features read (StoredState in
-- src/inference/features/stored-state.ts), as JSON text, updated in the transaction that stores each of
-- their events: a score reads this one row instead of the customer's whole past (bench/README.md, scoring).
-- Derived data: a missing, NULL or unreadable state is rebuilt from payment_events at the customer's next
-- stored event, and scoring reads the past row by row meanwhile. Kept in step with ../postgres/.
CREATE TABLE customer_state (
  customer_id TEXT PRIMARY KEY,
  state TEXT
);
