"""Compaction: a crowded day partition is rewritten into one file, its rows unchanged, and a conflict with a
concurrent copy loses none of that copy's rows."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import CommitFailedException, ValidationException
from pyiceberg.table import Table, Transaction
from pyiceberg.table.snapshots import Operation

import paypipe_lakehouse.compaction as compaction_module
import paypipe_lakehouse.sync as sync_module
from paypipe_lakehouse.compaction import compact
from paypipe_lakehouse.iceberg import WATERMARK_PROPERTY, open_catalog, watermark
from paypipe_lakehouse.sync import SyncResult

from helpers import reachable, run_copy, store_again, store_rows, table_files

# A threshold no test table reaches: copies that leave the files as they are.
NEVER = 1_000
DAY = datetime(2026, 3, 20, 12, tzinfo=UTC)


def run(compact_files: int = NEVER, retention_hours: int = 168) -> SyncResult:
    return run_copy(retention_hours=retention_hours, compact_files=compact_files)


def load() -> Table:
    return open_catalog().load_table(('data', 'payment_events'))


def add(store: Path, copy: int, update: bool = False) -> None:
    """Two new events on DAY and one whose timestamp cannot be read (a null partition); with `update`, the
    first copy's event on DAY re-written with a new fraud score, as the store does."""
    connection = sqlite3.connect(store)
    columns = [c[1] for c in connection.execute('PRAGMA table_info(payment_events)') if c[1] != 'ingested_seq']
    models = (
        connection.execute(f'SELECT {", ".join(columns)} FROM payment_events ORDER BY ingested_seq LIMIT 3').fetchall()
        + connection.execute(
            f'SELECT {", ".join(columns)} FROM payment_events WHERE event_id = ?', ('stripe:evt_compact_000_0',)
        ).fetchall()
    )
    for number, values in enumerate(models):
        row = dict(zip(columns, values, strict=True))
        if number < 3:
            row['event_id'] = f'stripe:evt_compact_{copy:03d}_{number}'
            moment = DAY + timedelta(minutes=copy * 10 + number)
            row['timestamp'] = 'not a time' if number == 2 else moment.strftime('%Y-%m-%dT%H:%M:%S.000Z')
            row['fraud_score'] = None
        elif update:
            row['fraud_score'] = copy / 100
        else:
            continue
        store_again(connection, row)
    connection.commit()
    connection.close()


def crowd(store: Path) -> None:
    """A full copy, then three small ones (one updating a row): DAY and the null partition hold 3 files or more."""
    run()
    for copy in range(3):
        add(store, copy, update=copy == 1)
        run()


def files_by_partition(table: Table) -> dict[str, set[str]]:
    files: dict[str, set[str]] = defaultdict(set)
    for task in table.scan().plan_files():
        files[table.spec().partition_to_path(task.file.partition, table.schema())].add(task.file.file_path)
    return dict(files)


def rows(table: Table, snapshot_id: int | None = None) -> pa.Table:
    return table.scan(snapshot_id=snapshot_id).to_arrow().sort_by('event_id')


def assert_copied(store: Path) -> None:
    """Iceberg holds each store row once, with the store's fraud score."""
    copied = rows(load()).to_pylist()
    expected = store_rows(store)
    assert sorted(r['event_id'] for r in copied) == sorted(r['event_id'] for r in expected)
    assert {r['event_id']: r['fraud_score'] for r in copied} == {r['event_id']: r['fraud_score'] for r in expected}


def test_a_crowded_partition_becomes_one_file_its_rows_unchanged_and_expiry_deletes_the_old_files(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crowd(lakehouse / 'paypipe.db')
    table = load()
    before, snapshots, properties = table.current_snapshot(), len(table.snapshots()), table.properties
    files = files_by_partition(table)
    crowded = {partition for partition, paths in files.items() if len(paths) > 2}
    assert crowded >= {'timestamp_day=null', 'timestamp_day=2026-03-20'}

    assert compact(table, 2) == len(crowded)
    table = load()
    after = files_by_partition(table)
    assert {partition: len(after[partition]) for partition in crowded} == dict.fromkeys(crowded, 1)
    assert {p: paths for p, paths in after.items() if p not in crowded} == {
        p: paths for p, paths in files.items() if p not in crowded
    }
    # One snapshot per partition rewritten, nothing else changed: rows, types, nulls, the watermark.
    assert len(table.snapshots()) == snapshots + len(crowded)
    assert rows(table).equals(rows(table, before.snapshot_id), check_metadata=True)
    assert rows(table)['timestamp'].null_count > 0 and rows(table)['fraud_score'].null_count > 0
    assert table.properties == properties and WATERMARK_PROPERTY in properties

    # Once the snapshots that still list the replaced files expire, the files go with them.
    class Later(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return datetime.now(UTC) + timedelta(days=30)

    # The compaction's snapshot names the replaced files (as deleted) until a later copy supersedes it.
    add(lakehouse / 'paypipe.db', 5)
    monkeypatch.setattr(sync_module, 'datetime', Later)
    run(retention_hours=1)
    table = load()
    replaced = set().union(*(files[p] for p in crowded))
    assert not replaced & table_files(table)
    assert table_files(table) == reachable(table, table.snapshots())
    assert_copied(lakehouse / 'paypipe.db')


def test_a_copy_compacts_only_past_the_threshold(lakehouse: Path) -> None:
    crowd(lakehouse / 'paypipe.db')
    snapshots = len(load().snapshots())
    most = max(len(paths) for paths in files_by_partition(load()).values())
    run(compact_files=most)
    assert len(load().snapshots()) == snapshots
    run(compact_files=most - 1)
    assert len(load().snapshots()) > snapshots
    assert max(len(paths) for paths in files_by_partition(load()).values()) < most


def test_a_compaction_whose_commit_fails_changes_nothing_and_the_copy_goes_on(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = lakehouse / 'paypipe.db'
    crowd(store)
    add(store, 3)
    commit = SqlCatalog.commit_table

    def refuse_compaction(self: SqlCatalog, table: Table, requirements: Any, updates: Any) -> Any:
        if any(getattr(u, 'snapshot', None) and u.snapshot.summary.operation == Operation.OVERWRITE for u in updates):
            raise CommitFailedException('another writer committed first')
        return commit(self, table, requirements, updates)

    monkeypatch.setattr(SqlCatalog, 'commit_table', refuse_compaction)
    with caplog.at_level(logging.WARNING, logger='paypipe_lakehouse'):
        result = run(compact_files=2)
    table = load()
    assert result.rows_inserted == 3 and watermark(table) == result.watermark
    assert max(len(paths) for paths in files_by_partition(table).values()) > 2
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith('paypipe_lakehouse')]
    assert warnings and all('could not compact partition' in w for w in warnings)
    # The files written for the rewrite are deleted: the folder holds what the snapshots name, no more.
    assert table_files(table) == reachable(table, table.snapshots())
    assert_copied(store)


def test_a_copy_committing_during_a_compaction_keeps_its_rows(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = lakehouse / 'paypipe.db'
    crowd(store)
    write = compaction_module._dataframe_to_data_files
    raced: list[SyncResult] = []

    def copy_first(*args: Any) -> Any:
        # Another run's copy commits after the compaction read its partition, before it commits.
        if not raced:
            add(store, 4, update=True)
            raced.append(run())
        return write(*args)

    monkeypatch.setattr(compaction_module, '_dataframe_to_data_files', copy_first)
    with caplog.at_level(logging.WARNING, logger='paypipe_lakehouse'):
        compacted = compact(load(), 2)
    assert (raced[0].rows_inserted, raced[0].rows_updated) == (3, 1)
    # The partition being rewritten gained a file meanwhile: that rewrite gave up. The next one was planned
    # from the same older snapshot but commits on the new head, its files still live there, the copy's kept.
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith('paypipe_lakehouse')]
    assert compacted == 1 and len(warnings) == 1 and 'could not compact partition' in warnings[0]
    assert_copied(store)
    table = load()
    assert watermark(table) == raced[0].watermark
    assert table_files(table) == reachable(table, table.snapshots())


@pytest.mark.parametrize('update', [False, True])
def test_a_compaction_committing_during_a_copy_loses_none_of_its_rows(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch, update: bool
) -> None:
    store = lakehouse / 'paypipe.db'
    crowd(store)
    upsert = Transaction.upsert
    raced: list[int] = []

    def compact_first(self: Transaction, *args: Any, **kwargs: Any) -> Any:
        result = upsert(self, *args, **kwargs)
        # Another run's compaction commits after this copy read the rows it matches, before it commits.
        if not raced:
            raced.append(compact(load(), 2))
        return result

    monkeypatch.setattr(Transaction, 'upsert', compact_first)
    before = watermark(load())
    add(store, 4, update=update)
    if update:
        # The rows it rewrote are gone from the new head: PyIceberg's retry refuses the commit, and the
        # watermark stays where it was, so the next run copies them again.
        with pytest.raises(ValidationException):
            run()
        assert watermark(load()) == before
        run()
    else:
        # Appends commit on top of the compaction when PyIceberg retries.
        assert run().rows_inserted == 3
    assert raced[0] > 0
    assert_copied(store)


def name_the_warehouse_by_its_path(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog set in the environment, its warehouse a plain path: PyIceberg takes a location without a
    scheme for a local folder, as it does `file://`."""
    iceberg = data_dir / 'iceberg'
    iceberg.mkdir(exist_ok=True)
    monkeypatch.setenv('PYICEBERG_CATALOG__DEFAULT__TYPE', 'sql')
    monkeypatch.setenv('PYICEBERG_CATALOG__DEFAULT__URI', f'sqlite:///{iceberg / "catalog.db"}')
    monkeypatch.setenv('PYICEBERG_CATALOG__DEFAULT__WAREHOUSE', str(iceberg))


@pytest.mark.parametrize('warehouse', ['file URI', 'plain path'])
def test_two_copies_at_once_store_each_row_once(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch, warehouse: str
) -> None:
    # The sensor, the hourly schedule and `make lakehouse` may each start a run while another is copying:
    # two copies upserting the same new rows would both append them, and the marts would count them twice.
    if warehouse == 'plain path':
        name_the_warehouse_by_its_path(lakehouse, monkeypatch)
    store = lakehouse / 'paypipe.db'
    crowd(store)
    add(store, 4)
    upsert = Transaction.upsert
    other: list[threading.Thread] = []

    def race(self: Transaction, *args: Any, **kwargs: Any) -> Any:
        # A second run starts after this copy read its rows, before it commits; given 3 s to get ahead of it.
        if not other:
            other.append(threading.Thread(target=run))
            other[0].start()
            other[0].join(timeout=3)
        return upsert(self, *args, **kwargs)

    monkeypatch.setattr(Transaction, 'upsert', race)
    run()
    other[0].join()
    assert_copied(store)
