"""Store rows → Arrow tables shaped for Iceberg. Bad values become nulls instead of failing the batch."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from .store import StoreColumn
from .tables import TableSpec

TIMESTAMP = pa.timestamp('us', tz='UTC')
_KINDS = {'int': pa.int64(), 'float': pa.float64(), 'text': pa.string()}


def parse_timestamp(value: Any) -> datetime | None:
    """ISO 8601 text (SQLite) or a datetime (PostgreSQL) as an aware UTC datetime; None when unreadable."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    # PostgreSQL's JSONB arrives as dicts and lists; keep the JSON text SQLite would have given.
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(',', ':'), sort_keys=True)
    return str(value)


def _number(value: Any, cast: type) -> Any:
    try:
        return None if value is None else cast(value)
    except (TypeError, ValueError):
        return None


def _column(column: StoreColumn, spec: TableSpec, values: Iterable[Any]) -> tuple[pa.DataType, list[Any]]:
    if column.name in spec.timestamp_columns:
        return TIMESTAMP, [parse_timestamp(v) for v in values]
    if column.kind == 'int':
        return pa.int64(), [_number(v, int) for v in values]
    if column.kind == 'float':
        return pa.float64(), [_number(v, float) for v in values]
    return _KINDS['text'], [_text(v) for v in values]


def to_arrow(columns: Iterable[StoreColumn], rows: list[dict[str, Any]], spec: TableSpec) -> pa.Table:
    """Builds an Arrow table with nullable fields (Iceberg columns stay optional so the schema can evolve)."""
    fields: list[pa.Field] = []
    arrays: list[pa.Array] = []
    for column in columns:
        data_type, values = _column(column, spec, (row.get(column.name) for row in rows))
        fields.append(pa.field(column.name, data_type, nullable=True))
        arrays.append(pa.array(values, type=data_type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def conform(df: pa.Table, target: pa.Schema) -> pa.Table:
    """Orders and casts `df` to the Iceberg table's schema; columns the store no longer has become nulls."""
    arrays = [
        df.column(field.name).cast(field.type) if field.name in df.column_names else pa.nulls(len(df), field.type)
        for field in target
    ]
    return pa.Table.from_arrays(arrays, schema=target)
