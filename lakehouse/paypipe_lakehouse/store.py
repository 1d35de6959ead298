"""Incremental reads from the pipeline's store (SQLite or PostgreSQL, named by `DATABASE_URL`).

Both stores have the same tables and an `ingested_seq` column that only grows; SQLAlchemy gives one SQL
path over both, and reflection tells us which columns the store has today (so a new column reaches Iceberg).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

SEQ_COLUMN = 'ingested_seq'

# How long a copy waits for the store's open writers before giving up (the pipeline's transactions take ms).
SETTLE_SECONDS = 60.0

# PostgreSQL: the transactions that may be writing a table now, by their virtual transaction id.
_WRITERS = sa.text("""
    SELECT virtualtransaction FROM pg_locks WHERE relation = CAST(:name AS regclass) AND mode = 'RowExclusiveLock'
""")


def create_store_engine(database_url: str) -> sa.Engine:
    """Opens the store named the way the TypeScript side names it: `sqlite:PATH` or `postgres://…`."""
    if database_url.startswith('sqlite:'):
        path = Path(database_url.removeprefix('sqlite:').removeprefix('//')).resolve()
        # SQLite would silently create an empty file; a missing store is a setup mistake worth naming.
        if not path.exists():
            raise FileNotFoundError(f'DATABASE_URL: no store at {path} (run the pipeline first, e.g. make demo)')
        return sa.create_engine(f'sqlite:///{path}')
    for scheme in ('postgres://', 'postgresql://'):
        if database_url.startswith(scheme):
            return sa.create_engine('postgresql+psycopg://' + database_url.removeprefix(scheme))
    raise ValueError(f'DATABASE_URL: expected sqlite:PATH or postgres://…, got {database_url.split(":")[0]}:…')


@dataclass(frozen=True)
class StoreColumn:
    """A store column and the broad kind of value it holds."""

    name: str
    kind: str  # 'int' | 'float' | 'text'


@dataclass(frozen=True)
class Batch:
    """Rows read from the store in `ingested_seq` order, with the columns the store has right now."""

    columns: tuple[StoreColumn, ...]
    rows: list[dict[str, Any]]
    last_seq: int | None


def _kind(sql_type: sa.types.TypeEngine[Any]) -> str:
    if isinstance(sql_type, sa.Integer):
        return 'int'
    if isinstance(sql_type, (sa.Float, sa.Numeric)):
        return 'float'
    return 'text'


def reflect(engine: sa.Engine, table_name: str) -> sa.Table:
    return sa.Table(table_name, sa.MetaData(), autoload_with=engine)


def columns_of(table: sa.Table) -> tuple[StoreColumn, ...]:
    return tuple(StoreColumn(column.name, _kind(column.type)) for column in table.columns)


def read_batch(engine: sa.Engine, table: sa.Table, after: int, limit: int) -> Batch:
    """Reads at most `limit` rows whose sequence is above `after`, oldest first."""
    seq = table.c[SEQ_COLUMN]
    query = sa.select(table).where(seq > after).order_by(seq).limit(limit)
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    return Batch(columns=columns_of(table), rows=rows, last_seq=rows[-1][SEQ_COLUMN] if rows else None)


def max_seq(engine: sa.Engine, table_name: str) -> int:
    """The newest sequence in a store table (0 when empty or when the table does not exist yet)."""
    if not sa.inspect(engine).has_table(table_name):
        return 0
    table = reflect(engine, table_name)
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.max(table.c[SEQ_COLUMN]))).scalar() or 0


def settled_seq(engine: sa.Engine, table_name: str, timeout: float = SETTLE_SECONDS) -> int | None:
    """The newest sequence below which no row can still appear; None when rows appear in sequence order.

    SQLite commits in sequence order. PostgreSQL draws a row's sequence value when its INSERT runs and shows
    the row at COMMIT, so an open transaction may hold a value below rows already visible, however far
    below. Such a transaction holds ROW EXCLUSIVE on the table from before it drew the value until it ends:
    the newest visible value is settled once every transaction holding that lock now has ended (the wait
    CREATE INDEX CONCURRENTLY makes). Writers are not blocked.
    """
    if engine.dialect.name != 'postgresql':
        return None
    table = reflect(engine, table_name)
    with engine.connect() as connection:
        newest = connection.execute(sa.select(sa.func.max(table.c[SEQ_COLUMN]))).scalar() or 0
        writers = set(connection.execute(_WRITERS, {'name': table_name}).scalars())
        deadline = time.monotonic() + timeout
        while writers:
            if time.monotonic() > deadline:
                raise TimeoutError(f'{table_name}: store transactions open for over {timeout:.0f} s: {sorted(writers)}')
            time.sleep(0.05)
            writers &= set(connection.execute(_WRITERS, {'name': table_name}).scalars())
    return newest
