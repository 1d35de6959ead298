"""Data-file compaction: each day partition's many small files rewritten into one.

Every copy adds a file to each day it writes to (an upsert that updates rows rewrites theirs too), and
every read and every upsert's match scan opens each live file, so without this a day's file count, and
with it the cost of a copy, would grow with the number of copies. PyIceberg 0.12.0 (the newest release)
has no data-file compaction to call (`table.maintenance` offers `expire_snapshots` only; Iceberg's Java
`RewriteDataFiles` has no Python counterpart), so it is written here.

A partition is rewritten in one commit of one snapshot that removes exactly the files read and adds the
files holding their rows. The commit asserts the snapshot the files were read from is still current; when
another writer (a copy in an overlapping run) committed in between, PyIceberg's retry re-validates against
the new head, and any data file added meanwhile, or any of the files read removed, makes the compaction
give up rather than drop that writer's rows or bring back the values it replaced. The replaced files stay
in the older snapshots until those expire, and the expiry then deletes them like any other file only
expired snapshots reached.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from pyiceberg.exceptions import CommitFailedException, ValidationException
from pyiceberg.expressions import AlwaysTrue
from pyiceberg.io.pyarrow import ArrowScan, _dataframe_to_data_files
from pyiceberg.table import FileScanTask, Table

logger = logging.getLogger(__name__)


def compact(table: Table, max_files: int, log: logging.Logger = logger) -> int:
    """Rewrites each partition of the current snapshot holding more than `max_files` data files into as few
    as the table's target file size allows; returns how many partitions were rewritten.

    A partition whose commit fails (another writer got there first) is logged and left as it was, the
    files written for it deleted: the next copy's compaction tries again.
    """
    if table.current_snapshot() is None:
        return 0
    partitions: dict[tuple[int, object], list[FileScanTask]] = defaultdict(list)
    for task in table.scan().plan_files():
        partitions[(task.file.spec_id, task.file.partition)].append(task)
    name = '.'.join(table.name())
    rewritten = 0
    for (spec_id, partition), tasks in partitions.items():
        if len(tasks) <= max_files:
            continue
        where = table.specs()[spec_id].partition_to_path(partition, table.schema())
        try:
            _rewrite(table, tasks)
        except (CommitFailedException, ValidationException):
            log.warning('%s: could not compact partition %s, left as it was', name, where, exc_info=True)
            continue
        rewritten += 1
        log.info('%s: compacted partition %s from %d data files', name, where, len(tasks))
    return rewritten


def _rewrite(table: Table, tasks: list[FileScanTask]) -> None:
    """Replaces the tasks' files by files holding their rows, in one commit."""
    # Read as a scan reads them: projected on the current schema, delete files applied.
    rows = ArrowScan(table.metadata, table.io, table.schema(), AlwaysTrue()).to_table(tasks)
    written = []
    try:
        # One snapshot: removes exactly these files and adds the new ones. On a retry after another commit,
        # PyIceberg (serializable isolation, the default) refuses it if that commit added any data file or
        # removed one of these.
        with table.transaction() as transaction, transaction.update_snapshot().overwrite() as rewrite:
            for task in tasks:
                rewrite.delete_data_file(task.file)
            # The writer PyIceberg's own appends and overwrites use: the table's target file size decides
            # how many files the rows make, and partition values and column statistics are filled in.
            for data_file in _dataframe_to_data_files(transaction.table_metadata, rows, table.io, rewrite.commit_uuid):
                written.append(data_file.file_path)
                rewrite.append_data_file(data_file)
    except (CommitFailedException, ValidationException):
        # Either exception means the commit did not land: no snapshot names these files.
        for path in written:
            table.io.delete(path)
        raise
