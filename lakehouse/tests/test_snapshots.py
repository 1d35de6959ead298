"""Iceberg history stays bounded: a run that changes nothing commits nothing, and old snapshots are expired."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyiceberg.table import Table
from pyiceberg.table.snapshots import Snapshot

import paypipe_lakehouse.sync as sync_module
from paypipe_lakehouse.iceberg import WATERMARK_PROPERTY, open_catalog
from paypipe_lakehouse.settings import apply_environment, load_settings
from paypipe_lakehouse.store import create_store_engine
from paypipe_lakehouse.sync import SyncResult, sync_table
from paypipe_lakehouse.tables import PAYMENT_EVENTS

from helpers import iceberg_rows, store_rows


def run(lookback_rows: int = 0, retention_hours: int = 168) -> SyncResult:
    settings = load_settings()
    apply_environment(settings)
    engine = create_store_engine(settings.database_url)
    return sync_table(open_catalog(), engine, PAYMENT_EVENTS, 10_000, lookback_rows, retention_hours)


def run_at(monkeypatch: pytest.MonkeyPatch, now: datetime, retention_hours: int = 168) -> SyncResult:
    """A run whose clock reads `now`: a snapshot's age is the only thing expiry looks at."""

    class At(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return now

    monkeypatch.setattr(sync_module, 'datetime', At)
    return run(retention_hours=retention_hours)


def load() -> Table:
    return open_catalog().load_table(('data', 'payment_events'))


def history() -> tuple[int, str, int]:
    """The table's snapshot count, current metadata file and metadata log length."""
    table = load()
    return len(table.snapshots()), table.metadata_location, len(table.metadata.metadata_log)


def rewrite(store: Path, count: int, **changes: object) -> None:
    """As the store does when it re-writes an event: the same rows, with `changes`, under new sequences."""
    connection = sqlite3.connect(store)
    columns = [c[1] for c in connection.execute('PRAGMA table_info(payment_events)')]
    for values in connection.execute('SELECT * FROM payment_events ORDER BY ingested_seq LIMIT ?', (count,)):
        row = dict(zip(columns, values, strict=True)) | changes
        del row['ingested_seq']
        connection.execute('DELETE FROM payment_events WHERE event_id = ?', (row['event_id'],))
        connection.execute(
            f'INSERT INTO payment_events ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})', list(row.values())
        )
    connection.commit()
    connection.close()


def copies_across(store: Path) -> datetime:
    """Two copies that change rows, then the returned instant, then a third: snapshots on both sides of it."""
    run()
    rewrite(store, 2, fraud_score=0.501)
    run()
    time.sleep(0.01)
    boundary = datetime.now(UTC)
    time.sleep(0.01)
    rewrite(store, 4, fraud_score=0.987)
    run()
    return boundary


def older(table: Table, instant: datetime) -> list[Snapshot]:
    return [s for s in table.snapshots() if s.timestamp_ms < instant.timestamp() * 1000]


def reachable(table: Table, snapshots: list[Snapshot]) -> set[str]:
    """The manifest lists, manifests and data files the snapshots name, deleted entries included."""
    files: set[str] = set()
    for snapshot in snapshots:
        files.add(snapshot.manifest_list)
        for manifest in snapshot.manifests(table.io):
            files.add(manifest.manifest_path)
            files.update(e.data_file.file_path for e in manifest.fetch_manifest_entry(table.io, discard_deleted=False))
    return files


def table_files(table: Table) -> set[str]:
    """The files in the table's folder, named as the metadata names them, but its metadata.json versions."""
    root = Path(table.location().removeprefix('file://'))
    return {f'file://{p}' for p in root.rglob('*') if p.is_file() and not p.name.endswith('.metadata.json')}


# With a lookback, as on PostgreSQL, every run re-reads rows already copied: that alone must not commit.
@pytest.mark.parametrize('lookback_rows', [0, 120])
def test_a_run_that_changes_nothing_adds_no_snapshot_and_no_metadata_version(
    lakehouse: Path, lookback_rows: int
) -> None:
    run(lookback_rows)
    before = history()
    again = run(lookback_rows)
    assert (again.rows_inserted, again.rows_updated) == (0, 0)
    assert history() == before


def test_a_watermark_that_moves_is_saved_even_when_no_row_changed(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = len(store_rows(lakehouse / 'paypipe.db'))
    # As on PostgreSQL with a writer still open: every row is copied, the watermark waits below three of them.
    monkeypatch.setattr(sync_module, 'settled_seq', lambda engine, name: newest - 3)
    assert run().watermark == newest - 3
    snapshots, location, _ = history()
    monkeypatch.setattr(sync_module, 'settled_seq', lambda engine, name: newest)
    again = run()
    assert (again.rows_read, again.rows_inserted, again.rows_updated) == (3, 0, 0)
    table = open_catalog().load_table(('data', 'payment_events'))
    assert int(table.properties[WATERMARK_PROPERTY]) == again.watermark == newest
    assert len(table.snapshots()) == snapshots and table.metadata_location != location


def test_snapshots_older_than_the_retention_are_expired_and_the_data_stays_complete(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run()
    rewrite(lakehouse / 'paypipe.db', 2, fraud_score=0.501)
    run()
    time.sleep(0.01)
    boundary = datetime.now(UTC)
    time.sleep(0.01)
    rewrite(lakehouse / 'paypipe.db', 4, fraud_score=0.987)
    run()
    table = open_catalog().load_table(('data', 'payment_events'))
    recent = {s.snapshot_id for s in table.snapshots() if s.timestamp_ms >= boundary.timestamp() * 1000}
    assert recent and len(table.snapshots()) > len(recent)  # every snapshot kept within the default 7 days

    class Later(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return boundary + timedelta(hours=2)

    monkeypatch.setattr(sync_module, 'datetime', Later)
    result = run(retention_hours=2)
    assert result.rows_read == 0
    table = open_catalog().load_table(('data', 'payment_events'))
    assert {s.snapshot_id for s in table.snapshots()} == recent
    copied = iceberg_rows('payment_events').to_pylist()
    store = store_rows(lakehouse / 'paypipe.db')
    assert sorted(r['event_id'] for r in copied) == sorted(r['event_id'] for r in store)
    assert sum(r['fraud_score'] == 0.987 for r in copied) == 4

    # Past every snapshot's age, the current one is still kept.
    monkeypatch.setattr(Later, 'now', classmethod(lambda cls, tz=None: datetime.now(UTC) + timedelta(days=30)))
    run()
    table = open_catalog().load_table(('data', 'payment_events'))
    assert [s.snapshot_id for s in table.snapshots()] == [table.current_snapshot().snapshot_id]
    assert iceberg_rows('payment_events').num_rows == len(store)


def test_expiry_deletes_the_files_only_the_expired_snapshots_reached(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boundary = copies_across(lakehouse / 'paypipe.db')
    table = load()
    assert table_files(table) == reachable(table, table.snapshots())
    old = older(table, boundary)
    expired = reachable(table, old)

    run_at(monkeypatch, boundary + timedelta(hours=2), retention_hours=2)
    table = load()
    assert not {s.snapshot_id for s in old} & {s.snapshot_id for s in table.snapshots()}
    kept = reachable(table, table.snapshots())
    freed = expired - kept
    # Rewritten rows leave data files behind, and every expired snapshot had its own manifest list.
    assert any('/data/' in path.removeprefix(table.location()) for path in freed)
    assert {s.manifest_list for s in old} <= freed
    assert table_files(table) == kept


def test_old_metadata_files_are_deleted_after_commit(lakehouse: Path) -> None:
    run()
    properties = open_catalog().load_table(('data', 'payment_events')).properties
    assert properties['write.metadata.delete-after-commit.enabled'] == 'true'
    assert int(properties['write.metadata.previous-versions-max']) > 0
