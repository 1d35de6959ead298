"""store → Iceberg: complete, partitioned by day, incremental, idempotent, crash-safe, evolving."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import paypipe_lakehouse.sync as sync_module
from paypipe_lakehouse.iceberg import open_catalog
from paypipe_lakehouse.store import create_store_engine
from paypipe_lakehouse.sync import SyncResult
from paypipe_lakehouse.tables import PAYMENT_EVENTS, PAYMENT_EVENTS_QUARANTINE, TableSpec

from helpers import iceberg_rows, run_copy, store_again, store_rows


def run(spec: TableSpec = PAYMENT_EVENTS, batch_rows: int = 10_000, lookback_rows: int = 0) -> SyncResult:
    return run_copy(spec, batch_rows, lookback_rows=lookback_rows)


def test_copies_every_row_once_partitioned_by_event_day(lakehouse: Path) -> None:
    result = run(batch_rows=100)
    store = store_rows(lakehouse / 'paypipe.db')
    copied = iceberg_rows('payment_events')
    assert result.rows_inserted == len(store) == copied.num_rows
    assert result.batches == -(-len(store) // 100)
    assert sorted(copied['event_id'].to_pylist()) == sorted(row['event_id'] for row in store)
    table = open_catalog().load_table(('data', 'payment_events'))
    assert [(f.name, str(f.transform)) for f in table.spec().fields] == [('timestamp_day', 'day')]
    first = next(row for row in store if row['event_id'] == copied['event_id'][0].as_py())
    assert copied['timestamp'][0].as_py() == datetime.fromisoformat(first['timestamp']).astimezone(UTC)
    assert copied['amount_cents'].type == 'int64'


def test_quarantine_is_copied_and_partitioned_by_quarantine_day(lakehouse: Path) -> None:
    run(PAYMENT_EVENTS_QUARANTINE)
    assert iceberg_rows('payment_events_quarantine').num_rows == len(
        store_rows(lakehouse / 'paypipe.db', 'payment_events_quarantine')
    )
    spec = open_catalog().load_table(('data', 'payment_events_quarantine')).spec()
    assert [f.name for f in spec.fields] == ['quarantined_at_day']


def test_a_rerun_reads_nothing_and_commits_nothing(lakehouse: Path) -> None:
    run()
    snapshot = open_catalog().load_table(('data', 'payment_events')).current_snapshot()
    again = run()
    assert (again.rows_read, again.batches) == (0, 0)
    assert open_catalog().load_table(('data', 'payment_events')).current_snapshot() == snapshot


def test_rereading_rows_already_copied_never_duplicates_them(lakehouse: Path) -> None:
    first = run()
    overlap = run(lookback_rows=120)
    copied = iceberg_rows('payment_events')['event_id'].to_pylist()
    assert overlap.rows_read == 120
    assert (overlap.rows_inserted, overlap.rows_updated) == (0, 0)
    assert len(copied) == len(set(copied)) == first.rows_inserted


def test_only_new_rows_are_read_and_a_changed_row_is_updated_in_place(lakehouse: Path) -> None:
    run()
    store = sqlite3.connect(lakehouse / 'paypipe.db')
    victim = store.execute('SELECT * FROM payment_events ORDER BY ingested_seq LIMIT 1').fetchone()
    columns = [c[1] for c in store.execute('PRAGMA table_info(payment_events)')]
    row = dict(zip(columns, victim, strict=True))
    # The store re-writes an event (e.g. a late fraud score): same event_id, a new ingested_seq.
    row.update(fraud_score=0.99)
    del row['ingested_seq']
    store_again(store, row)
    store.commit()
    result = run()
    assert (result.rows_read, result.rows_inserted, result.rows_updated) == (1, 0, 1)
    copied = iceberg_rows('payment_events').to_pylist()
    matching = [r for r in copied if r['event_id'] == row['event_id']]
    assert len(matching) == 1 and matching[0]['fraud_score'] == 0.99


def test_a_quarantine_row_re_driven_after_a_fix_is_updated_with_its_time(lakehouse: Path) -> None:
    store = sqlite3.connect(lakehouse / 'paypipe.db')
    store.execute(
        'INSERT INTO payment_events_quarantine (id, provider, stage, reasons, quarantined_at) '
        "VALUES ('record:r1:invalid_payload', 'braintree', 'normalizer', '[]', '2026-03-02T10:00:01.000Z')"
    )
    store.commit()
    run(PAYMENT_EVENTS_QUARANTINE)
    columns = [c[1] for c in store.execute('PRAGMA table_info(payment_events_quarantine)')]
    victim = store.execute("SELECT * FROM payment_events_quarantine WHERE id = 'record:r1:invalid_payload'").fetchone()
    row = dict(zip(columns, victim, strict=True))
    # As the store's markRedriven does: the row comes back under a new ingested_seq, with redriven_at.
    store.execute('DELETE FROM payment_events_quarantine WHERE id = ?', (row['id'],))
    del row['ingested_seq']
    row['redriven_at'] = '2026-03-05T08:00:00.000Z'
    store.execute(
        f'INSERT INTO payment_events_quarantine ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})',
        list(row.values()),
    )
    store.commit()
    result = run(PAYMENT_EVENTS_QUARANTINE)
    assert (result.rows_read, result.rows_inserted, result.rows_updated) == (1, 0, 1)
    copied = iceberg_rows('payment_events_quarantine').to_pylist()
    marked = [r for r in copied if r['redriven_at'] is not None]
    assert [r['id'] for r in marked] == [row['id']]
    assert marked[0]['redriven_at'] == datetime(2026, 3, 5, 8, tzinfo=UTC)
    assert len(copied) == len(store_rows(lakehouse / 'paypipe.db', 'payment_events_quarantine'))


def test_a_crash_half_way_then_a_rerun_loses_and_duplicates_nothing(
    lakehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sync_module.to_arrow
    calls = {'n': 0}

    def crash_on_third_batch(columns: object, rows: list[object], spec: TableSpec) -> object:
        calls['n'] += 1 if rows else 0
        if calls['n'] == 3:
            raise RuntimeError('worker killed')
        return real(columns, rows, spec)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_module, 'to_arrow', crash_on_third_batch)
    with pytest.raises(RuntimeError, match='worker killed'):
        run(batch_rows=50)
    assert iceberg_rows('payment_events').num_rows == 100  # two whole batches committed, nothing partial
    monkeypatch.setattr(sync_module, 'to_arrow', real)
    result = run(batch_rows=50)
    copied = iceberg_rows('payment_events')['event_id'].to_pylist()
    store = store_rows(lakehouse / 'paypipe.db')
    assert result.rows_read == len(store) - 100
    assert sorted(copied) == sorted(row['event_id'] for row in store)


def test_a_new_store_column_evolves_the_iceberg_schema(lakehouse: Path) -> None:
    run()
    store = sqlite3.connect(lakehouse / 'paypipe.db')
    store.execute('ALTER TABLE payment_events ADD COLUMN risk_label TEXT')
    store.execute('ALTER TABLE payment_events ADD COLUMN attempt_number INTEGER')
    row = store_rows(lakehouse / 'paypipe.db')[0] | {'event_id': 'stripe:evt_new', 'risk_label': 'review'}
    row.update(attempt_number=2)
    del row['ingested_seq']
    store.execute(
        f'INSERT INTO payment_events ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})', list(row.values())
    )
    store.commit()
    # Re-reading rows copied before the migration too (as PostgreSQL's lookback does) matches them in files
    # written under the old schema.
    again = run(lookback_rows=10)
    assert (again.rows_read, again.rows_inserted, again.rows_updated) == (11, 1, 0)
    table = open_catalog().load_table(('data', 'payment_events'))
    assert str(table.schema().find_field('risk_label').field_type) == 'string'
    assert str(table.schema().find_field('attempt_number').field_type) == 'long'
    labels = {r['event_id']: r['risk_label'] for r in table.scan().to_arrow().to_pylist()}
    assert labels['stripe:evt_new'] == 'review'
    assert sum(label is None for label in labels.values()) == len(labels) - 1


def test_an_unreadable_timestamp_is_copied_as_null_not_a_crash(lakehouse: Path) -> None:
    store = sqlite3.connect(lakehouse / 'paypipe.db')
    store.execute("UPDATE payment_events SET timestamp = 'yesterday-ish' WHERE ingested_seq = 1")
    store.commit()
    run()
    copied = iceberg_rows('payment_events').to_pylist()
    assert sum(r['timestamp'] is None for r in copied) == 1


def test_store_urls_name_sqlite_files_and_postgres_servers(tmp_path: Path) -> None:
    assert create_store_engine('postgres://u:p@db:5432/paypipe').dialect.driver == 'psycopg'
    assert create_store_engine('postgresql://u:p@db/paypipe').url.database == 'paypipe'
    with pytest.raises(FileNotFoundError, match='DATABASE_URL'):
        create_store_engine(f'sqlite:{tmp_path / "missing.db"}')
    with pytest.raises(ValueError, match='DATABASE_URL'):
        create_store_engine('mysql://db/paypipe')


def test_a_copy_removes_rows_earlier_copies_duplicated(lakehouse: Path, caplog: pytest.LogCaptureFixture) -> None:
    run()
    table = open_catalog().load_table(('data', 'payment_events'))
    # As two copies racing before the copy lock left it: the same new rows appended twice (on a warehouse from
    # before this was checked for).
    table.append(table.scan().to_arrow().slice(0, 5))
    (lakehouse / 'iceberg' / '.payment_events.duplicate-check').unlink(missing_ok=True)
    twice = iceberg_rows('payment_events')['event_id'].to_pylist()[:5]
    # An upsert updates every copy of a key it matches and merges none.
    store = lakehouse / 'paypipe.db'
    changed = next(row for row in store_rows(store) if row['event_id'] == twice[0])
    del changed['ingested_seq']
    connection = sqlite3.connect(store)
    store_again(connection, changed | {'fraud_score': 0.999})
    connection.commit()
    connection.close()

    with caplog.at_level(logging.WARNING, logger='paypipe_lakehouse'):
        result = run()
    assert (result.rows_updated, result.duplicates_removed) == (2, 5)
    copied = iceberg_rows('payment_events').to_pylist()
    assert sorted(row['event_id'] for row in copied) == sorted(row['event_id'] for row in store_rows(store))
    assert [row['fraud_score'] for row in copied if row['event_id'] == twice[0]] == [0.999]
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith('paypipe_lakehouse')]
    assert warnings == ['data.payment_events: 5 rows repeated an event_id already copied; removed, one of each kept']
