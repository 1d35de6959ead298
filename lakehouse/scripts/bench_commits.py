"""How a copy into Iceberg costs as the table's history grows: prints one JSON line per checkpoint.

Runs the lakehouse's own `sync_table` against a fresh SQLite store and a fresh SQL catalog in a temporary
folder: one full copy, then `--copies` small ones, each after the store gains `--rows` new events (spread
over a few days, as late webhooks are) and re-writes `--updates` old ones, as the sensor's once-a-minute runs
see it. At each checkpoint it reports the mean seconds of the last copies, what the current snapshot's
manifest list holds, the live data files (all, and in the fullest day), the metadata file's size, a full read
and an expiry of the oldest snapshot. `--compact-files` is the copy's compaction threshold
(`LAKEHOUSE_COMPACT_FILES`); a large value shows the table without compaction.

    lakehouse/.venv/bin/python lakehouse/scripts/bench_commits.py --checkpoints 50,100,200,400
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / 'tests')]

from paypipe_lakehouse.expiry import expire_snapshots  # noqa: E402
from paypipe_lakehouse.iceberg import open_catalog  # noqa: E402
from paypipe_lakehouse.settings import DEFAULT_COMPACT_FILES, apply_environment, load_settings  # noqa: E402
from paypipe_lakehouse.store import create_store_engine  # noqa: E402
from paypipe_lakehouse.sync import sync_table  # noqa: E402
from paypipe_lakehouse.tables import PAYMENT_EVENTS  # noqa: E402

from simulated_store import fill_store  # noqa: E402


def grow(store: Path, copy: int, rows: int, updates: int) -> None:
    """New events modelled on stored ones, and re-writes of old ones under new sequences."""
    connection = sqlite3.connect(store)
    columns = [c[1] for c in connection.execute('PRAGMA table_info(payment_events)') if c[1] != 'ingested_seq']
    now = datetime.now(UTC)
    models = connection.execute(
        f'SELECT {", ".join(columns)} FROM payment_events ORDER BY random() LIMIT ?', (rows + updates,)
    ).fetchall()
    for number, values in enumerate(models):
        row = dict(zip(columns, values, strict=True))
        if number < rows:
            row['event_id'] = f'bench:evt_{copy:05d}_{number:03d}'
            moment = now - timedelta(days=number % 3)
            row['timestamp'] = moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')
        else:
            row['fraud_score'] = (copy % 100) / 100
        connection.execute('DELETE FROM payment_events WHERE event_id = ?', (row['event_id'],))
        connection.execute(
            f'INSERT INTO payment_events ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})', list(row.values())
        )
    connection.commit()
    connection.close()


def measure(copies: list[float], store_rows: int) -> dict[str, object]:
    catalog = open_catalog()
    started = time.perf_counter()
    table = catalog.load_table(('data', PAYMENT_EVENTS.name))
    load_seconds = time.perf_counter() - started
    snapshot = table.current_snapshot()
    manifests = snapshot.manifests(table.io)
    per_day = Counter(task.file.partition for task in table.scan().plan_files())
    started = time.perf_counter()
    read = table.scan().to_arrow().num_rows
    scan_seconds = time.perf_counter() - started
    oldest = min(table.snapshots(), key=lambda s: s.timestamp_ms)
    started = time.perf_counter()
    expire_snapshots(table, datetime.fromtimestamp((oldest.timestamp_ms + 1) / 1000, UTC))
    expiry_seconds = time.perf_counter() - started
    return {
        'copy_seconds': round(sum(copies) / len(copies), 3),
        'snapshots': len(table.snapshots()),
        'manifests': len(manifests),
        'data_files': sum(m.existing_files_count + m.added_files_count for m in manifests),
        'max_files_per_day': max(per_day.values()),
        'metadata_json_bytes': os.path.getsize(table.metadata_location.removeprefix('file://')),
        'load_table_seconds': round(load_seconds, 3),
        'scan_seconds': round(scan_seconds, 3),
        'expire_oldest_seconds': round(expiry_seconds, 3),
        'rows_match': read == store_rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--checkpoints', default='50,100,200,400', help='copy counts to report at')
    parser.add_argument('--rows', type=int, default=20, help='new store events per copy')
    parser.add_argument('--updates', type=int, default=1, help='re-written store events per copy')
    parser.add_argument('--window', type=int, default=10, help='copies averaged at each checkpoint')
    parser.add_argument('--compact-files', type=int, default=DEFAULT_COMPACT_FILES, help='compaction threshold')
    args = parser.parse_args()
    checkpoints = sorted(int(n) for n in args.checkpoints.split(','))
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        for name in [n for n in os.environ if n.startswith(('PYICEBERG_', 'LAKEHOUSE_', 'PAYPIPE_'))]:
            del os.environ[name]
        os.environ['PAYPIPE_DATA_DIR'] = str(data_dir)
        os.environ['DATABASE_URL'] = f'sqlite:{data_dir / "paypipe.db"}'
        store = fill_store(data_dir / 'paypipe.db', seed=7, payments=150)
        settings = load_settings()
        apply_environment(settings)
        engine = create_store_engine(settings.database_url)
        sync_table(open_catalog(), engine, PAYMENT_EVENTS, settings.batch_rows, compact_files=args.compact_files)
        durations: list[float] = []
        for copy in range(1, checkpoints[-1] + 1):
            grow(store, copy, args.rows, args.updates)
            started = time.perf_counter()
            sync_table(open_catalog(), engine, PAYMENT_EVENTS, settings.batch_rows, compact_files=args.compact_files)
            durations.append(time.perf_counter() - started)
            if copy in checkpoints:
                count = sqlite3.connect(store).execute('SELECT count(*) FROM payment_events').fetchone()[0]
                print(json.dumps({'copies': copy, **measure(durations[-args.window :], count)}), flush=True)


if __name__ == '__main__':
    main()
