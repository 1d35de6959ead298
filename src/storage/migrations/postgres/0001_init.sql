-- paypipe 0001: the two tables (DESIGN.md §5 "Storage"). Kept in step with ../sqlite/0001_init.sql:
-- test/storage/migrations.test.ts checks both define the same tables and columns.
-- ingested_seq comes from a sequence, so concurrent transactions may commit out of order: the lakehouse
-- reads incrementally with a small lag behind the newest stored_at rather than trusting the last value.

CREATE TABLE payment_events (
  ingested_seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id TEXT NOT NULL UNIQUE,
  schema_version SMALLINT NOT NULL,
  provider TEXT NOT NULL,
  event_type TEXT NOT NULL,
  provider_event_type TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
  currency CHAR(3) NOT NULL,
  status TEXT NOT NULL,
  failure_code TEXT,
  customer_id TEXT,
  merchant_id TEXT,
  timestamp TIMESTAMPTZ NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  metadata JSONB NOT NULL,
  fraud_score DOUBLE PRECISION,
  churn_score DOUBLE PRECISION,
  retry_strategy TEXT,
  retry_at TIMESTAMPTZ,
  processed_at TIMESTAMPTZ NOT NULL,
  model_versions JSONB NOT NULL,
  stored_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX payment_events_customer_time ON payment_events (customer_id, timestamp);
CREATE INDEX payment_events_payment ON payment_events (payment_id);

CREATE TABLE payment_events_quarantine (
  ingested_seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  event_id TEXT,
  provider TEXT NOT NULL,
  stage TEXT NOT NULL,
  reasons JSONB NOT NULL,
  record JSONB,
  event JSONB,
  quarantined_at TIMESTAMPTZ NOT NULL,
  stored_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX payment_events_quarantine_event ON payment_events_quarantine (event_id);
