"""The two store tables the lakehouse copies, and how each lands in Iceberg."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSpec:
    """One store table copied to Iceberg `data.<name>`.

    `key` is the upsert key (unique in the store); the table is partitioned by the day of `partition_column`;
    `timestamp_columns` hold ISO 8601 UTC text in SQLite (timestamptz in PostgreSQL) and become Iceberg
    `timestamptz`. Any other column keeps the store's broad type, so a new store column needs no code here.
    """

    name: str
    key: str
    partition_column: str
    timestamp_columns: frozenset[str]


PAYMENT_EVENTS = TableSpec(
    name='payment_events',
    key='event_id',
    partition_column='timestamp',
    timestamp_columns=frozenset({'timestamp', 'received_at', 'processed_at', 'retry_at', 'stored_at'}),
)

# A quarantined record may have no event at all (it failed before parsing), so its day is when it was
# quarantined.
PAYMENT_EVENTS_QUARANTINE = TableSpec(
    name='payment_events_quarantine',
    key='id',
    partition_column='quarantined_at',
    timestamp_columns=frozenset({'quarantined_at', 'stored_at', 'redriven_at'}),
)

TABLES = (PAYMENT_EVENTS, PAYMENT_EVENTS_QUARANTINE)
