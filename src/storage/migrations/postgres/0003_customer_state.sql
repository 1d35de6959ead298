-- paypipe 0003: each customer's past folded into what the features read (StoredState in
-- src/inference/features/stored-state.ts), as JSON text (never queried inside, so not jsonb). PostgreSQL
-- folds every event into it in the event's own transaction, the row locked (by an upsert): concurrent
-- transactions commit out of ingested_seq order, so SQLite's fold-every-few-events scheme, which reads the events
-- stored after `folded_seq`, does not apply, and `folded_seq` and `tip_time` stay unset here.
-- Derived data: a missing, NULL or unreadable state is rebuilt from payment_events at the customer's next
-- stored event. Kept in step with ../sqlite/.
CREATE TABLE customer_state (
  customer_id TEXT PRIMARY KEY,
  folded_seq BIGINT,
  tip_time TEXT,
  state TEXT
);
