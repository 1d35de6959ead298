"""Where the lakehouse reads and writes, parsed once from the environment.

The names follow the TypeScript side (`PAYPIPE_DATA_DIR`, `DATABASE_URL`); the Iceberg catalog is configured
the way PyIceberg itself is, through `PYICEBERG_CATALOG__DEFAULT__*`, so the distributed variant (a REST
catalog on S3) only changes environment variables. Settings only the lakehouse reads are prefixed
`LAKEHOUSE_` because the TypeScript configuration rejects unknown `PAYPIPE_*` names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

CATALOG_NAME = 'default'
NAMESPACE = 'data'

# Data files a day partition may hold before a copy rewrites it into one. Each copy adds one to three files
# to the days it touches, so today's partition is rewritten every five to fifteen copies: a read opens at
# most this many files per day, and the rewrite of a day (its rows read and written once) is paid for by
# that many copies.
DEFAULT_COMPACT_FILES = 16

# A hundred years: every copy expires the snapshots older than now minus the retention, and a retention past
# about 2,000 years puts that moment before year 1, which Python's datetime cannot hold (the copy would fail
# after committing, every time, and the marts would never be rebuilt).
MAX_RETENTION_HOURS = 876_000


@dataclass(frozen=True)
class Settings:
    """The lakehouse configuration; paths are absolute."""

    data_dir: Path
    database_url: str
    duckdb_path: Path
    batch_rows: int
    lookback_rows: int
    snapshot_retention_hours: int
    compact_files: int


def _int(env: Mapping[str, str], name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = env.get(name, '').strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f'{name}: expected an integer, got {raw!r}') from None
    if value < minimum:
        raise ValueError(f'{name}: expected at least {minimum}, got {value}')
    if maximum is not None and value > maximum:
        raise ValueError(f'{name}: expected at most {maximum}, got {value}')
    return value


def load_settings(env: Mapping[str, str] = os.environ) -> Settings:
    """Reads the settings; relative paths are resolved against the working directory, as the CLI does."""
    data_dir = Path(env.get('PAYPIPE_DATA_DIR', '').strip() or '.paypipe').resolve()
    database_url = env.get('DATABASE_URL', '').strip() or f'sqlite:{data_dir / "paypipe.db"}'
    duckdb_path = Path(env.get('LAKEHOUSE_DUCKDB_PATH', '').strip() or data_dir / 'warehouse.duckdb').resolve()
    # PostgreSQL hands out sequence values before commit; the watermark waits for open writers
    # (store.settled_seq), and re-reading a window behind it is a margin the upsert by key makes harmless.
    # SQLite commits in sequence order.
    default_lookback = 0 if database_url.startswith('sqlite:') else 1000
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        duckdb_path=duckdb_path,
        batch_rows=_int(env, 'LAKEHOUSE_BATCH_ROWS', 50_000, 1),
        lookback_rows=_int(env, 'LAKEHOUSE_LOOKBACK_ROWS', default_lookback, 0),
        # An hour: PyIceberg copies the whole table metadata, every snapshot kept, dozens of times per commit,
        # so a week of once-a-minute copies (10,000 to 30,000 snapshots) would take minutes per copy.
        snapshot_retention_hours=_int(env, 'LAKEHOUSE_SNAPSHOT_RETENTION_HOURS', 1, 1, MAX_RETENTION_HOURS),
        compact_files=_int(env, 'LAKEHOUSE_COMPACT_FILES', DEFAULT_COMPACT_FILES, 1),
    )


def apply_environment(settings: Settings, env: MutableMapping[str, str] = os.environ) -> None:
    """Fills in the embedded defaults that PyIceberg and the dbt profile read, keeping anything already set."""
    iceberg_dir = settings.data_dir / 'iceberg'
    prefix = f'PYICEBERG_CATALOG__{CATALOG_NAME.upper()}__'
    if not any(name.startswith(prefix) for name in env):
        iceberg_dir.mkdir(parents=True, exist_ok=True)
        env[f'{prefix}TYPE'] = 'sql'
        env[f'{prefix}URI'] = f'sqlite:///{iceberg_dir / "catalog.db"}'
        env[f'{prefix}WAREHOUSE'] = iceberg_dir.as_uri()
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    env['LAKEHOUSE_DUCKDB_PATH'] = str(settings.duckdb_path)
