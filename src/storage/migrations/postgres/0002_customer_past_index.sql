-- paypipe 0002: a customer's past as the features read it (PastEvent in src/inference/features/history.ts),
-- with every column it reads but the metadata carried in the index (an index-only scan but for the
-- card's country). Kept in step with ../sqlite/0002_customer_past_index.sql; it replaces the index on
-- (customer_id, timestamp), whose queries it serves too.
CREATE INDEX payment_events_customer_past ON payment_events (customer_id, timestamp, ingested_seq)
  INCLUDE (event_id, event_type, payment_id, amount_cents, currency, status, failure_code, merchant_id);
DROP INDEX payment_events_customer_time;
