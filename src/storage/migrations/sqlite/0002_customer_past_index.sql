-- paypipe 0002: a customer's past as the features read it (PastEvent in src/inference/features/history.ts),
-- answered from the index alone: no lookup of each row in the table, no metadata JSON to parse. Reading the
-- past was three quarters of a score's CPU (bench/README.md, scoring). Its first columns are those of the
-- index it replaces, so every query that one served it serves too.
CREATE INDEX payment_events_customer_past ON payment_events (
  customer_id, timestamp, ingested_seq, event_id, event_type, payment_id, amount_cents, currency, status,
  failure_code, merchant_id, json_extract(metadata, '$.card_country'));
DROP INDEX payment_events_customer_time;
