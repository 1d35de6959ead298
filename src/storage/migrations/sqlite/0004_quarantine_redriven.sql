-- paypipe 0004: a quarantine row whose record `paypipe replay` re-drove after a fix (a normalizer dead letter
-- that now normalizes) is kept, with the time it was re-driven: its events are then stored in payment_events,
-- and counts of what is quarantined leave it out. Re-driving moves the row to a new ingested_seq, so the
-- lakehouse's incremental copy reads it again.
ALTER TABLE payment_events_quarantine ADD COLUMN redriven_at TEXT;
