-- paypipe 0003: each customer's past folded into what the features read (StoredState in
-- src/inference/features/stored-state.ts), as JSON text: a score reads this row, and the customer's events
-- stored since it was folded (a few, by the covering index), instead of their whole past
-- (bench/README.md, scoring). Folded every FOLD_EVERY events of a customer, the row untouched in between
-- (src/storage/sqlite-customer-state.ts). `folded_seq`: the ingested_seq of the newest event
-- in `state`; `tip_time`: the time of the state's newest event, to tell an event that arrives out of order.
-- Derived data: a missing or NULL state is rebuilt from payment_events at the customer's next stored
-- event, and scoring reads the past event by event meanwhile. Kept in step with ../postgres/.
CREATE TABLE customer_state (
  customer_id TEXT PRIMARY KEY,
  folded_seq BIGINT,
  tip_time TEXT,
  state TEXT
);
