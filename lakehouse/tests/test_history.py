"""A copy's cost stays bounded as copies pile up: what each commit and each read walks does not grow with them."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from paypipe_lakehouse.iceberg import TABLE_PROPERTIES, open_catalog
from paypipe_lakehouse.settings import DEFAULT_COMPACT_FILES
from paypipe_lakehouse.sync import SyncResult

from conftest import isolate, make_store
from helpers import iceberg_rows, run_copy, store_again, store_rows

# Enough small copies that a list growing by one manifest per commit would pass any bound worth having.
COPIES = 24


def run() -> SyncResult:
    return run_copy()


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
        store_again(connection, row)
    connection.commit()
    connection.close()


@pytest.fixture(scope='module')
def copied(tmp_path_factory: pytest.TempPathFactory, module_env: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store and its Iceberg copy after a full copy and COPIES small ones, shared by this module's tests."""
    data_dir = tmp_path_factory.mktemp('history') / 'data'
    store = make_store(data_dir, 'a', seed=7, payments=150)
    isolate(module_env, data_dir)
    run()
    for copy in range(COPIES):
        grow(store, copy)
        run()
    yield store


def test_the_current_snapshot_lists_a_bounded_number_of_manifests(copied: Path) -> None:
    table = open_catalog().load_table(('data', 'payment_events'))
    assert len(table.snapshots()) > COPIES
    manifests = table.current_snapshot().manifests(table.io)
    assert len(manifests) <= int(TABLE_PROPERTIES['commit.manifest.min-count-to-merge'])


def test_a_day_holds_a_bounded_number_of_data_files(copied: Path) -> None:
    table = open_catalog().load_table(('data', 'payment_events'))
    files = table.inspect.files().to_pylist()
    per_day = Counter(str(f['partition']) for f in files if f['content'] == 0)
    # Each copy adds a file to each of the three days it writes to: without compaction those hold COPIES each.
    assert COPIES > DEFAULT_COMPACT_FILES
    assert 1 < max(per_day.values()) <= DEFAULT_COMPACT_FILES


def test_the_copy_reads_back_whole_after_the_copies(copied: Path) -> None:
    copied_rows = {row['event_id']: row for row in iceberg_rows('payment_events').to_pylist()}
    expected = store_rows(copied)
    assert len(copied_rows) == len(expected)
    assert {row['event_id']: row['fraud_score'] for row in expected} == {
        key: row['fraud_score'] for key, row in copied_rows.items()
    }
