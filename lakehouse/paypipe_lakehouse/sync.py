"""Copies one store table into Iceberg, incrementally and idempotently.

Each batch is one Iceberg commit that upserts the rows by key *and* records the batch's last store sequence
as a table property. A crash therefore leaves Iceberg at the end of some earlier batch, never between the
data and its watermark, and the next run re-reads from there; re-reading a row only updates it in place.
A batch that changes no row and does not move the watermark commits nothing, and each run ends by
compacting the day partitions that hold too many data files, then expiring snapshots older than the
retention and deleting their files, and, in a local warehouse once per retention, the orphan files older than
the retention (what a killed write or expiry left), so a sync every few seconds grows neither the table's
history, nor the files a read opens, nor its folder for ever.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import sqlalchemy as sa
from pyiceberg.catalog import Catalog
from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.table import Table, Transaction

from .arrow import conform, to_arrow
from .compaction import compact
from .duplicates import remove_duplicates
from .expiry import delete_orphan_files, expire_snapshots
from .iceberg import WATERMARK_PROPERTY, ensure_table, evolve, watermark
from .settings import DEFAULT_COMPACT_FILES
from .store import columns_of, read_batch, reflect, settled_seq
from .tables import TableSpec

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncResult:
    """What one run did: rows read from the store, inserted and updated in Iceberg, and the new watermark."""

    rows_read: int
    rows_inserted: int
    rows_updated: int
    batches: int
    watermark: int
    duplicates_removed: int = 0


def _carry_schema_to_snapshot(table: Table, transaction: Transaction) -> None:
    """Works around PyIceberg 0.12's upsert after a schema change (apache/iceberg-python#2467).

    A schema change makes no snapshot, so the current snapshot keeps the old schema; upsert reads the rows it
    matches with that schema and then refuses the batch, which has the new columns. An empty append in the
    batch's own transaction makes a snapshot under the current schema: no second commit, and a crash between
    the schema change and this batch is healed by the next run.
    """
    snapshot = table.current_snapshot()
    if snapshot is not None and snapshot.schema_id != table.schema().schema_id:
        transaction.append(table.schema().as_arrow().empty_table())


def _local_warehouse(catalog: Catalog) -> Path | None:
    """The folder of the catalog's warehouse when it is on the local file system, else None. PyIceberg writes
    to a location without a scheme (a plain path) on the local file system, as to `file://`; a REST catalog's
    `warehouse` names a warehouse its server knows, not a location."""
    location = str(catalog.properties.get('warehouse', ''))
    parsed = urlparse(location)
    if parsed.scheme == 'file':
        return Path(unquote(parsed.path))
    if not parsed.scheme and location and not isinstance(catalog, RestCatalog):
        return Path(location).resolve()
    return None


@contextlib.contextmanager
def _one_copy_at_a_time(catalog: Catalog, spec: TableSpec) -> Iterator[None]:
    """Holds the table's copy lock: the sensor, the hourly schedule and `make lakehouse` may each start a run
    while another is copying, and two copies upserting the same new rows would both append them (PyIceberg
    checks a concurrent commit's deletes, not its inserts), so the marts would count them twice.

    An exclusive `flock` on a file in a local warehouse (the embedded default, or one named by a plain path),
    released when the run ends or its process dies. A warehouse elsewhere (object storage behind a REST
    catalog) has no such file: there one run at a time is the orchestrator's to ensure (a Dagster run-queue
    limit on the job).
    """
    folder = _local_warehouse(catalog)
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f'.{spec.name}.copy.lock').open('a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def sync_table(
    catalog: Catalog,
    engine: sa.Engine,
    spec: TableSpec,
    batch_rows: int,
    lookback_rows: int = 0,
    retention_hours: int = 1,
    log: logging.Logger = logger,
    compact_files: int = DEFAULT_COMPACT_FILES,
) -> SyncResult:
    """Brings `data.<spec.name>` up to date with the store table of the same name, rewrites each day partition
    holding more than `compact_files` data files into one, then expires the snapshots older than
    `retention_hours` (the current one is always kept) and deletes the files only they reached, and in a
    local warehouse the files older than that nothing names (`delete_orphan_files`); `log`
    (Dagster's, in an asset) hears about compactions that gave up and files that could not be deleted."""
    if not sa.inspect(engine).has_table(spec.name):
        return SyncResult(0, 0, 0, 0, 0)
    with _one_copy_at_a_time(catalog, spec):
        return _sync(catalog, engine, spec, batch_rows, lookback_rows, retention_hours, log, compact_files)


def _sync(
    catalog: Catalog,
    engine: sa.Engine,
    spec: TableSpec,
    batch_rows: int,
    lookback_rows: int,
    retention_hours: int,
    log: logging.Logger,
    compact_files: int,
) -> SyncResult:
    table = ensure_table(catalog, spec, to_arrow(columns_of(reflect(engine, spec.name)), [], spec).schema)
    committed = watermark(table)
    after = max(0, committed - lookback_rows)
    read = inserted = updated = batches = 0
    while True:
        # Before the read: rows up to `settled` are all visible to it (PostgreSQL may still commit lower ones).
        settled = settled_seq(engine, spec.name)
        # Reflected per batch, so a column the store gains mid-run is picked up.
        batch = read_batch(engine, reflect(engine, spec.name), after, batch_rows)
        if batch.last_seq is None:
            break
        # The store's key is unique, but a defensive dedupe keeps PyIceberg's upsert from refusing the batch.
        rows = list({row[spec.key]: row for row in batch.rows}.values())
        df = to_arrow(batch.columns, rows, spec)
        table = evolve(table, df.schema)
        df = conform(df, table.schema().as_arrow())
        reached = batch.last_seq if settled is None else min(batch.last_seq, settled)
        moved = reached > committed
        committed = max(committed, reached)
        # PyIceberg's upsert writes nothing when no row changed, and a transaction without updates commits
        # nothing: a re-read (the lookback) that changes no row and no watermark leaves the table as it is.
        with table.transaction() as transaction:
            if table.current_snapshot() is None:
                transaction.append(df)
                inserted += len(df)
            else:
                _carry_schema_to_snapshot(table, transaction)
                result = transaction.upsert(df, join_cols=[spec.key])
                inserted += result.rows_inserted
                updated += result.rows_updated
            if moved:
                transaction.set_properties({WATERMARK_PROPERTY: str(committed)})
        read += len(batch.rows)
        batches += 1
        after = batch.last_seq
        if len(batch.rows) < batch_rows:
            break
    now = datetime.now(UTC)
    older_than = now - timedelta(hours=retention_hours)
    # Only where the copy lock holds: no other copy can append a key meanwhile (and the lock stops new
    # duplicates, so once per retention is enough for what earlier runs left).
    folder = _local_warehouse(catalog)
    removed = 0
    if folder is not None and _due(folder / f'.{spec.name}.duplicate-check', now, older_than):
        removed = remove_duplicates(table, spec.key, log)
        _done(folder / f'.{spec.name}.duplicate-check', now)
    compact(table, compact_files, log)
    expire_snapshots(table, older_than, log)
    # Only where the copy lock holds: it keeps every other copy, and so its files not yet committed, out.
    # Once a file is older than the retention the cleanup reads every retained manifest (2 s at 300 retained
    # snapshots), which the sensor's once-a-minute copies paid each time: once per retention is enough. An
    # orphan is deletable a retention after it was written and the next cleanup comes at most a retention
    # later, so none stays more than twice the retention.
    if (
        folder is not None
        and _due(folder / f'.{spec.name}.orphan-cleanup', now, older_than)
        and delete_orphan_files(table, older_than, log)
    ):
        _done(folder / f'.{spec.name}.orphan-cleanup', now)
    return SyncResult(read, inserted, updated, batches, committed, removed)


def _due(marker: Path, now: datetime, older_than: datetime) -> bool:
    """Whether a task done once per retention is due: `marker`'s time, beside the copy lock, is when it last
    completed. A marker from the future (a clock set back) does not put the task off."""
    try:
        last = marker.stat().st_mtime
    except FileNotFoundError:
        return True
    return not older_than.timestamp() <= last <= now.timestamp()


def _done(marker: Path, now: datetime) -> None:
    marker.touch()
    os.utime(marker, (now.timestamp(), now.timestamp()))
