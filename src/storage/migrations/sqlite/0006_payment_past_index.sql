-- paypipe 0006: a payment's events at its provider, in time order. The retry rules read a payment's newest
-- events before the one being decided (paymentHistory) and the business rules all its events (paymentTotals),
-- both for one provider: payment ids are the providers' own, so two providers may share one. With an index
-- on payment_id alone every event of the payment was read and sorted for the newest few: 250 ms a decision
-- for a payment with 20,000 stored declines. Its first column is that of the index it replaces, so every
-- query that one served it serves too.
CREATE INDEX payment_events_payment_past ON payment_events (payment_id, provider, timestamp, ingested_seq);
DROP INDEX payment_events_payment;
