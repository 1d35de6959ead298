-- paypipe 0006: a payment's events at its provider, in time order, for the retry rules' newest few and the
-- business rules' totals (payment ids are the providers' own, so two providers may share one). Kept in step
-- with ../sqlite/0006_payment_past_index.sql; it replaces the index on payment_id, whose queries it serves too.
CREATE INDEX payment_events_payment_past ON payment_events (payment_id, provider, timestamp, ingested_seq);
DROP INDEX payment_events_payment;
