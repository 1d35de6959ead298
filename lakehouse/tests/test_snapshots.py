"""Iceberg history stays bounded: a run that changes nothing commits nothing, and old snapshots are expired."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import CommitFailedException
from pyiceberg.io.pyarrow import PyArrowFileIO
from pyiceberg.table import Table
from pyiceberg.table.snapshots import Snapshot

import paypipe_lakehouse.expiry as expiry_module
import paypipe_lakehouse.sync as sync_module
from paypipe_lakehouse.iceberg import TABLE_PROPERTIES, WATERMARK_PROPERTY, open_catalog
from paypipe_lakehouse.sync import SyncResult

from helpers import iceberg_rows, reachable, run_copy, store_again, store_rows, table_files


def run(lookback_rows: int = 0, retention_hours: int = 168) -> SyncResult:
    return run_copy(lookback_rows=lookback_rows, retention_hours=retention_hours)


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
        store_again(connection, row)
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
    store_path = lakehouse / 'paypipe.db'
    boundary = copies_across(store_path)
    middle = load().current_snapshot().snapshot_id
    rewrite(store_path, 3, fraud_score=0.123)
    run()
    table = load()
    recent = {s.snapshot_id for s in table.snapshots() if s.timestamp_ms >= boundary.timestamp() * 1000}
    assert recent and len(table.snapshots()) > len(recent)  # every snapshot kept within the default 7 days
    on_disk = table_files(table)

    result = run_at(monkeypatch, boundary + timedelta(hours=2), retention_hours=2)
    assert result.rows_read == 0
    table = load()
    assert {s.snapshot_id for s in table.snapshots()} == recent
    assert table_files(table) < on_disk
    copied = iceberg_rows('payment_events').to_pylist()
    store = store_rows(store_path)
    assert sorted(r['event_id'] for r in copied) == sorted(r['event_id'] for r in store)
    assert (sum(r['fraud_score'] == 0.987 for r in copied), sum(r['fraud_score'] == 0.123 for r in copied)) == (4, 3)
    # Time travel to a retained snapshot reads it whole, as it was before the last copy.
    then = table.scan(snapshot_id=middle).to_arrow().to_pylist()
    assert sorted(r['event_id'] for r in then) == sorted(r['event_id'] for r in store)
    assert (sum(r['fraud_score'] == 0.987 for r in then), sum(r['fraud_score'] == 0.123 for r in then)) == (4, 0)

    # Past every snapshot's age, the current one is still kept, and its files alone stay.
    run_at(monkeypatch, datetime.now(UTC) + timedelta(days=30))
    table = load()
    assert [s.snapshot_id for s in table.snapshots()] == [table.current_snapshot().snapshot_id]
    assert table_files(table) == reachable(table, table.snapshots())
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


def test_a_failed_expiry_commit_deletes_nothing(lakehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    boundary = copies_across(lakehouse / 'paypipe.db')
    table = load()
    snapshots, on_disk = table.snapshots(), table_files(table)

    def refuse(self: SqlCatalog, *args: object) -> None:
        raise CommitFailedException('another writer committed first')

    # Nothing is left to copy, so the expiry is the run's only commit.
    monkeypatch.setattr(SqlCatalog, 'commit_table', refuse)
    with pytest.raises(CommitFailedException):
        run_at(monkeypatch, boundary + timedelta(hours=2), retention_hours=2)
    table = load()
    assert table.snapshots() == snapshots and table_files(table) == on_disk


def test_a_file_that_cannot_be_deleted_is_logged_and_the_copy_goes_on(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    boundary = copies_across(lakehouse / 'paypipe.db')
    table = load()
    old = older(table, boundary)
    freed = reachable(table, old) - reachable(table, [s for s in table.snapshots() if s not in old])
    stuck = old[0].manifest_list
    gone = next(path for path in sorted(freed) if path.endswith('.parquet'))
    # Already deleted (by an earlier, interrupted cleanup, say): not an error.
    Path(gone.removeprefix('file://')).unlink()
    delete = PyArrowFileIO.delete

    def refuse_one(self: PyArrowFileIO, location: str) -> None:
        if location == stuck:
            raise PermissionError(f'Cannot delete file, access denied: {location}')
        delete(self, location)

    monkeypatch.setattr(PyArrowFileIO, 'delete', refuse_one)
    with caplog.at_level(logging.WARNING, logger='paypipe_lakehouse'):
        assert run_at(monkeypatch, boundary + timedelta(hours=2), retention_hours=2).rows_read == 0
    table = load()
    assert not {s.snapshot_id for s in old} & {s.snapshot_id for s in table.snapshots()}
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith('paypipe_lakehouse')]
    # the expiry's attempt, then the orphan cleanup's: the file is older than the retention and nothing names it
    assert warnings == [f'could not delete {stuck}, which no retained snapshot needs'] * 2
    assert table_files(table) == reachable(table, table.snapshots()) | {stuck}


def test_manifests_that_cannot_be_read_leave_every_file_to_the_orphan_cleanup(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    boundary = copies_across(lakehouse / 'paypipe.db')
    table = load()
    old = older(table, boundary)
    # Without an expired snapshot's manifest list, what it reached is unknown: the expiry deletes nothing.
    missing = old[0].manifest_list
    Path(missing.removeprefix('file://')).unlink()
    on_disk = table_files(table)
    cleanup = sync_module.delete_orphan_files
    monkeypatch.setattr(sync_module, 'delete_orphan_files', lambda *args: None)
    with caplog.at_level(logging.WARNING, logger='paypipe_lakehouse'):
        assert run_at(monkeypatch, boundary + timedelta(hours=2), retention_hours=2).rows_read == 0
    table = load()
    assert not {s.snapshot_id for s in old} & {s.snapshot_id for s in table.snapshots()}
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith('paypipe_lakehouse')]
    assert warnings == ['data.payment_events: could not read the manifests, so the expired snapshots keep their files']
    assert table_files(table) == on_disk
    # As after an expiry killed before its deletions: no snapshot names those files, and the next copy's
    # orphan cleanup deletes them.
    monkeypatch.setattr(sync_module, 'delete_orphan_files', cleanup)
    assert run_at(monkeypatch, boundary + timedelta(hours=2), retention_hours=2).rows_read == 0
    table = load()
    assert on_disk > table_files(table) == reachable(table, table.snapshots())


def test_old_metadata_files_are_deleted_after_commit(lakehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run()
    assert load().properties.items() >= TABLE_PROPERTIES.items()
    # PyIceberg 0.12 honours the properties; a lower bound (set on the existing table by the next run) shows it.
    monkeypatch.setitem(TABLE_PROPERTIES, 'write.metadata.previous-versions-max', '3')
    for n in range(5):
        rewrite(lakehouse / 'paypipe.db', 1, fraud_score=n / 10)
        run()
    table = load()
    assert table.properties['write.metadata.previous-versions-max'] == '3'
    metadata = Path(table.location().removeprefix('file://')) / 'metadata'
    assert sorted(f'file://{p}' for p in metadata.glob('*.metadata.json')) == sorted(
        [entry.metadata_file for entry in table.metadata.metadata_log] + [table.metadata_location]
    )
    assert len(table.metadata.metadata_log) == 3


def test_a_copy_deletes_the_files_nothing_names_once_older_than_the_retention(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run()
    rewrite(lakehouse / 'paypipe.db', 3, fraud_score=0.777)
    run()
    table = load()
    root = Path(table.location().removeprefix('file://'))
    named = table_files(table)
    data = next(Path(p.removeprefix('file://')) for p in sorted(named) if p.endswith('.parquet'))
    manifest = next(Path(p.removeprefix('file://')) for p in sorted(named) if p.endswith('-m0.avro'))
    # What a copy or compaction killed before its commit leaves: a data file, a manifest, a metadata version.
    orphans = [
        data.with_name(f'orphan-{data.name}'),
        manifest.with_name(f'orphan-{manifest.name}'),
        root / 'metadata' / '99999-orphan.metadata.json',
    ]
    current = Path(table.metadata_location.removeprefix('file://'))
    for orphan, source in zip(orphans, [data, manifest, current], strict=True):
        orphan.write_bytes(source.read_bytes())
    # Every file is older than the retention, so only what the metadata names keeps one from the cleanup
    # and the last cleanup was as long ago (one runs at most once per retention);
    hours_ago = time.time() - 3 * 3600
    for path in [*root.rglob('*'), lakehouse / 'iceberg' / '.payment_events.orphan-cleanup']:
        os.utime(path, (hours_ago, hours_ago))
    # but a writer's file not yet committed is recent, and stays.
    fresh = data.with_name(f'fresh-{data.name}')
    fresh.write_bytes(data.read_bytes())
    versions = sorted(root.glob('metadata/*.metadata.json'))

    assert run(retention_hours=2).rows_read == 0
    table = load()
    assert not [orphan for orphan in orphans if orphan.exists()]
    assert table_files(table) == named | {f'file://{fresh}'}
    assert sorted(root.glob('metadata/*.metadata.json')) == [v for v in versions if v != orphans[2]]
    assert iceberg_rows('payment_events').num_rows == len(store_rows(lakehouse / 'paypipe.db'))


def test_the_orphan_cleanup_reads_the_manifests_once_per_retention(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run()
    start = datetime.now(UTC)
    reads = []
    named = expiry_module._named
    monkeypatch.setattr(expiry_module, '_named', lambda table: reads.append(1) or named(table))
    # Every file is older than the retention from here on: each of these copies could look for orphans,
    for hours in (3, 3.5, 4.5):
        run_at(monkeypatch, start + timedelta(hours=hours), retention_hours=2)
    # but one reading of every retained manifest per retention is enough: an orphan still goes within two.
    assert len(reads) == 1
    run_at(monkeypatch, start + timedelta(hours=5.5), retention_hours=2)
    assert len(reads) == 2
    # A clock set back (the last cleanup then seems to come from the future) does not put the cleanup off.
    run_at(monkeypatch, start + timedelta(hours=3), retention_hours=2)
    assert len(reads) == 3
