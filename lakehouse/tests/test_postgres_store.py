"""The same copy from a PostgreSQL store (DATABASE_URL=postgres://…), on a throwaway server of our own.

The server comes from the repository's scripts/postgres.sh on a free port, so that two runs at once, or a server
left over, never share one; it is stopped and removed after, however the tests end.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from paypipe_lakehouse.iceberg import open_catalog
from paypipe_lakehouse.settings import apply_environment, load_settings
from paypipe_lakehouse.store import create_store_engine
from paypipe_lakehouse.sync import sync_table
from paypipe_lakehouse.tables import PAYMENT_EVENTS, PAYMENT_EVENTS_QUARANTINE

from helpers import iceberg_rows, store_rows

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / 'scripts' / 'postgres.sh'
MIGRATIONS = REPO / 'src' / 'storage' / 'migrations' / 'postgres'


def free_port() -> int:
    """A port nothing listens on now, as the kernel picks one."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """The admin URL of a server of our own: on the fixed port 54339, a second run shared the first's server
    (scripts/postgres.sh reuses a running one) and the first to end stopped it under the other."""
    env = os.environ | {'PAYPIPE_TEST_PG_PORT': str(free_port())}
    try:
        yield subprocess.run([SCRIPT, 'start'], env=env, check=True, capture_output=True, text=True).stdout.strip()
    finally:
        subprocess.run([SCRIPT, 'remove'], env=env, check=True)


def accepts_connections(url: str) -> bool:
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text('SELECT 1')).scalar() == 1
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def test_two_runs_at_once_get_servers_of_their_own_each_stopped_after() -> None:
    with throwaway_postgres() as first, throwaway_postgres() as second:
        assert first != second
        assert accepts_connections(first) and accepts_connections(second)
        with contextlib.suppress(RuntimeError), throwaway_postgres() as failed:
            raise RuntimeError('a test that fails')
        assert not accepts_connections(failed)
        assert accepts_connections(first) and accepts_connections(second)
    assert not accepts_connections(first) and not accepts_connections(second)


@pytest.fixture(scope='module')
def postgres_admin_url() -> Iterator[str]:
    with throwaway_postgres() as url:
        yield url


@pytest.fixture
def postgres_store(postgres_admin_url: str, lakehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database with the pipeline's PostgreSQL migrations, holding the simulated store's rows."""
    name = f'lakehouse_{uuid.uuid4().hex[:10]}'
    admin = create_store_engine(postgres_admin_url).execution_options(isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE {name}'))
    url = postgres_admin_url.rsplit('/', 1)[0] + f'/{name}'
    engine = create_store_engine(url)
    with engine.begin() as connection:
        for migration in sorted(MIGRATIONS.glob('*.sql')):
            connection.exec_driver_sql(migration.read_text())
        for table in ('payment_events', 'payment_events_quarantine'):
            rows = store_rows(lakehouse / 'paypipe.db', table)
            for row in rows:
                del row['ingested_seq'], row['stored_at']
            target = sa.Table(table, sa.MetaData(), autoload_with=connection)
            if rows:  # an empty parameter list would make SQLAlchemy insert one row of defaults
                connection.execute(sa.insert(target), rows)
    engine.dispose()
    monkeypatch.setenv('DATABASE_URL', url)
    yield url
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE {name} WITH (FORCE)'))
    admin.dispose()


def test_a_postgres_store_lands_in_iceberg_like_a_sqlite_store(postgres_store: str, lakehouse: Path) -> None:
    settings = load_settings()
    assert settings.lookback_rows == 1000  # PostgreSQL commits sequence values out of order
    apply_environment(settings)
    engine = create_store_engine(postgres_store)
    for spec in (PAYMENT_EVENTS, PAYMENT_EVENTS_QUARANTINE):
        first = sync_table(open_catalog(), engine, spec, 100, settings.lookback_rows)
        again = sync_table(open_catalog(), engine, spec, 100, settings.lookback_rows)
        assert (again.rows_inserted, again.rows_updated) == (0, 0)
        assert first.rows_inserted == len(store_rows(lakehouse / 'paypipe.db', spec.name))
    copied = {row['event_id']: row for row in iceberg_rows('payment_events').to_pylist()}
    original = {row['event_id']: row for row in store_rows(lakehouse / 'paypipe.db')}
    assert copied.keys() == original.keys()
    some = next(iter(original))
    assert copied[some]['amount_cents'] == original[some]['amount_cents']
    assert copied[some]['timestamp'].isoformat().startswith(original[some]['timestamp'][:19])
    reasons = iceberg_rows('payment_events_quarantine')['reasons'].to_pylist()
    assert all(reason.startswith('[') for reason in reasons)  # JSONB comes back as JSON text


def test_a_column_a_postgres_migration_adds_reaches_the_iceberg_schema(postgres_store: str, lakehouse: Path) -> None:
    settings = load_settings()
    apply_environment(settings)
    engine = create_store_engine(postgres_store)
    sync_table(open_catalog(), engine, PAYMENT_EVENTS, 100, settings.lookback_rows)
    with engine.begin() as connection:
        connection.execute(
            sa.text('ALTER TABLE payment_events ADD COLUMN risk_label TEXT, ADD COLUMN risk_weight NUMERIC')
        )
        target = sa.Table('payment_events', sa.MetaData(), autoload_with=connection)
        row = dict(connection.execute(sa.select(target).limit(1)).mappings().one())
        for generated in ('ingested_seq', 'stored_at'):
            del row[generated]
        row.update(event_id='stripe:evt_migrated', risk_label='review', risk_weight=Decimal('0.25'))
        connection.execute(sa.insert(target), [row])
    result = sync_table(open_catalog(), engine, PAYMENT_EVENTS, 100, settings.lookback_rows)
    assert result.rows_inserted == 1
    table = open_catalog().load_table(('data', 'payment_events'))
    assert str(table.schema().find_field('risk_label').field_type) == 'string'
    assert str(table.schema().find_field('risk_weight').field_type) == 'double'
    added = [r for r in table.scan().to_arrow().to_pylist() if r['risk_label'] is not None]
    assert [(r['event_id'], r['risk_label'], r['risk_weight']) for r in added] == [
        ('stripe:evt_migrated', 'review', 0.25)
    ]


def test_a_row_committed_after_later_rows_is_never_skipped(postgres_store: str, lakehouse: Path) -> None:
    """PostgreSQL draws ingested_seq at INSERT and shows the row at COMMIT: a slow transaction's row appears
    below rows already copied, further behind than any lookback window when the store is busy."""
    settings = load_settings()
    apply_environment(settings)
    engine = create_store_engine(postgres_store)
    table = sa.Table('payment_events', sa.MetaData(), autoload_with=engine)
    template = store_rows(lakehouse / 'paypipe.db')[0]
    del template['ingested_seq'], template['stored_at']
    slow = engine.connect()
    slow.execute(sa.insert(table), [template | {'event_id': 'stripe:evt_slow'}])  # draws its sequence now
    with engine.begin() as connection:
        busy = [template | {'event_id': f'stripe:evt_busy_{n}'} for n in range(settings.lookback_rows + 100)]
        connection.execute(sa.insert(table), busy)
    commit = threading.Timer(3.0, slow.commit)  # commits while (or after) the first copy runs
    commit.start()
    try:
        sync_table(open_catalog(), engine, PAYMENT_EVENTS, 50_000, settings.lookback_rows)
    finally:
        commit.join()
        slow.close()
    sync_table(open_catalog(), engine, PAYMENT_EVENTS, 50_000, settings.lookback_rows)
    copied = set(iceberg_rows('payment_events')['event_id'].to_pylist())
    with engine.connect() as connection:
        stored = set(connection.execute(sa.select(table.c.event_id)).scalars())
    assert 'stripe:evt_slow' in copied
    assert copied == stored
