-- paypipe 0001: the two tables (DESIGN.md §5 "Storage"). Kept in step with ../postgres/0001_init.sql:
-- test/storage/migrations.test.ts checks both define the same tables and columns.
-- Timestamps are ISO 8601 UTC text with milliseconds, which sorts in time order.
-- ingested_seq only grows (AUTOINCREMENT never reuses a value): the lakehouse reads past its last one.

CREATE TABLE payment_events (
  ingested_seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  schema_version INTEGER NOT NULL,
  provider TEXT NOT NULL,
  event_type TEXT NOT NULL,
  provider_event_type TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_code TEXT,
  customer_id TEXT,
  merchant_id TEXT,
  timestamp TEXT NOT NULL,
  received_at TEXT NOT NULL,
  metadata TEXT NOT NULL,
  fraud_score REAL,
  churn_score REAL,
  retry_strategy TEXT,
  retry_at TEXT,
  processed_at TEXT NOT NULL,
  model_versions TEXT NOT NULL,
  stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX payment_events_customer_time ON payment_events (customer_id, timestamp);
CREATE INDEX payment_events_payment ON payment_events (payment_id);

CREATE TABLE payment_events_quarantine (
  ingested_seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  event_id TEXT,
  provider TEXT NOT NULL,
  stage TEXT NOT NULL,
  reasons TEXT NOT NULL,
  record TEXT,
  event TEXT,
  quarantined_at TEXT NOT NULL,
  stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX payment_events_quarantine_event ON payment_events_quarantine (event_id);
