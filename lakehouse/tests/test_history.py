"""A copy's cost stays bounded as copies pile up: what each commit and each read walks does not grow with them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from paypipe_lakehouse.iceberg import TABLE_PROPERTIES, open_catalog
from paypipe_lakehouse.settings import apply_environment, load_settings
from paypipe_lakehouse.store import create_store_engine
from paypipe_lakehouse.sync import SyncResult, sync_table
from paypipe_lakehouse.tables import PAYMENT_EVENTS

from helpers import iceberg_rows, store_rows

# Enough small copies that a list growing by one manifest per commit would pass any bound worth having.
COPIES = 24


def run() -> SyncResult:
    settings = load_settings()
    apply_environment(settings)
    return sync_table(open_catalog(), create_store_engine(settings.database_url), PAYMENT_EVENTS, 10_000)


def grow(store: Path, copy: int) -> None:
    """As the sensor's runs see the store: a few new events over three days, and one event re-written."""
    connection = sqlite3.connect(store)
    columns = [c[1] for c in connection.execute('PRAGMA table_info(payment_events)') if c[1] != 'ingested_seq']
    models = connection.execute(
        f'SELECT {", ".join(columns)} FROM payment_events ORDER BY ingested_seq LIMIT 4 OFFSET ?', (copy,)
    ).fetchall()
    day = datetime(2026, 3, 20, 12, tzinfo=UTC)
    for number, values in enumerate(models):
        row = dict(zip(columns, values, strict=True))
        if number < 3:
            row['event_id'] = f'stripe:evt_copy_{copy:03d}_{number}'
            row['timestamp'] = (day + timedelta(days=number, minutes=copy)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
        else:
            row['fraud_score'] = copy / 100
        connection.execute('DELETE FROM payment_events WHERE event_id = ?', (row['event_id'],))
        connection.execute(
            f'INSERT INTO payment_events ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})', list(row.values())
        )
    connection.commit()
    connection.close()


def copies(store: Path) -> None:
    run()
    for copy in range(COPIES):
        grow(store, copy)
        run()


def assert_reads_back(store: Path) -> None:
    copied = {row['event_id']: row for row in iceberg_rows('payment_events').to_pylist()}
    expected = store_rows(store)
    assert len(copied) == len(expected)
    assert {row['event_id']: row['fraud_score'] for row in expected} == {
        key: row['fraud_score'] for key, row in copied.items()
    }


def test_the_current_snapshot_lists_a_bounded_number_of_manifests(lakehouse: Path) -> None:
    store = lakehouse / 'paypipe.db'
    copies(store)
    table = open_catalog().load_table(('data', 'payment_events'))
    assert len(table.snapshots()) > COPIES
    manifests = table.current_snapshot().manifests(table.io)
    assert len(manifests) <= int(TABLE_PROPERTIES['commit.manifest.min-count-to-merge'])
    assert_reads_back(store)
