"""Rows an Iceberg table holds more than once under its key, and their removal.

The store's key (`event_id`, the quarantine's `id`) is unique, and a copy upserts by it, so each key lands once.
But two copies racing before the copy lock (sync.py) both appended the same new rows, and an upsert that later
matches such a key updates every copy of it and merges none: the duplicates stayed for ever, dbt's `unique`
test on the source failed every build, and any other reader of the table counted those events twice.
"""

from __future__ import annotations

import logging

import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.expressions import In
from pyiceberg.table import Table

logger = logging.getLogger(__name__)


def remove_duplicates(table: Table, key: str, log: logging.Logger = logger) -> int:
    """Rewrites the rows whose `key` the table holds more than once into one each, the one the store wrote last
    (the largest `ingested_seq`), in one commit; gives the number of rows removed.

    Reads the key column of the whole table (a fraction of what dbt loads on every run); reads and rewrites
    whole rows only when a key repeats. A failed commit raises and changes nothing.
    """
    keys = table.scan(selected_fields=(key,)).to_arrow().column(key)
    counts = pc.value_counts(keys)
    repeated = counts.field('values').filter(pc.greater(counts.field('counts'), 1)).to_pylist()
    if not repeated:
        return 0
    matching = In(key, repeated)
    rows = table.scan(row_filter=matching).to_arrow()
    kept = _last_written(rows, key)
    with table.transaction() as transaction:
        transaction.overwrite(kept, overwrite_filter=matching)
    removed = rows.num_rows - kept.num_rows
    log.warning(
        '%s: %d rows repeated an %s already copied; removed, one of each kept', '.'.join(table.name()), removed, key
    )
    return removed


def _last_written(rows: pa.Table, key: str) -> pa.Table:
    """One row per key: the one with the largest `ingested_seq` (the copies of a key are alike but for a row
    the store re-wrote between the racing copies)."""
    ordered = rows.sort_by([(key, 'ascending'), ('ingested_seq', 'descending')])
    seen: set[object] = set()
    first = []
    for index, value in enumerate(ordered.column(key).to_pylist()):
        if value not in seen:
            seen.add(value)
            first.append(index)
    return ordered.take(first)
