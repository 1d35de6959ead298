"""Reading back what the lakehouse wrote, and an independent Python model of the marts' money rules."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from pyiceberg.table import Table
from pyiceberg.table.snapshots import Snapshot

from paypipe_lakehouse.iceberg import open_catalog
from paypipe_lakehouse.settings import apply_environment, load_settings
from paypipe_lakehouse.store import create_store_engine
from paypipe_lakehouse.sync import SyncResult, sync_table
from paypipe_lakehouse.tables import PAYMENT_EVENTS, TableSpec

SUCCESS = {'payment.succeeded', 'payment.captured'}


def run_copy(spec: TableSpec = PAYMENT_EVENTS, batch_rows: int = 10_000, **options: Any) -> SyncResult:
    """One copy of the store table into Iceberg, as a run makes it, on the store and catalog the environment
    names; `options` as `sync_table`'s (lookback_rows, retention_hours, compact_files)."""
    settings = load_settings()
    apply_environment(settings)
    return sync_table(open_catalog(), create_store_engine(settings.database_url), spec, batch_rows, **options)


def store_again(connection: sqlite3.Connection, row: dict[str, Any]) -> None:
    """Writes `row` (without its ingested_seq) as the store re-writes an event: the row under its event_id goes,
    and the new one takes the next sequence, so the next copy reads it again."""
    connection.execute('DELETE FROM payment_events WHERE event_id = ?', (row['event_id'],))
    connection.execute(
        f'INSERT INTO payment_events ({", ".join(row)}) VALUES ({", ".join("?" * len(row))})', list(row.values())
    )


def iceberg_rows(name: str) -> pa.Table:
    return open_catalog().load_table(('data', name)).scan().to_arrow()


def reachable(table: Table, snapshots: list[Snapshot]) -> set[str]:
    """The manifest lists, manifests and data files the snapshots name, deleted entries included."""
    files: set[str] = set()
    for snapshot in snapshots:
        files.add(snapshot.manifest_list)
        for manifest in snapshot.manifests(table.io):
            files.add(manifest.manifest_path)
            files.update(e.data_file.file_path for e in manifest.fetch_manifest_entry(table.io, discard_deleted=False))
    return files


def table_files(table: Table) -> set[str]:
    """The files in the table's folder, named as the metadata names them, but its metadata.json versions."""
    root = Path(table.location().removeprefix('file://'))
    return {f'file://{p}' for p in root.rglob('*') if p.is_file() and not p.name.endswith('.metadata.json')}


def store_rows(store: Path, table: str = 'payment_events') -> list[dict[str, Any]]:
    connection = sqlite3.connect(store)
    connection.row_factory = sqlite3.Row
    rows = [dict(row) for row in connection.execute(f'SELECT * FROM {table}')]
    connection.close()
    return rows


def _day(timestamp: str) -> str:
    return datetime.fromisoformat(timestamp).astimezone(UTC).date().isoformat()


def _named_or_running_total(reports: list[dict[str, Any]], id_key: str) -> int:
    """A payment's total from reports of its captures or refunds, read as the store's totals read them: each
    report naming its capture or refund (`metadata.<id_key>`) once at its largest, summed, or the largest
    report without an id (a running total) when that says more. Never the sum of the two readings."""
    itemized: dict[str, int] = {}
    running = 0
    for event in reports:
        named = json.loads(event.get('metadata') or '{}').get(id_key)
        if named is None:
            running = max(running, event['amount_cents'])
        else:
            itemized[named] = max(itemized.get(named, 0), event['amount_cents'])
    return max(sum(itemized.values()), running)


def _refund_id(event: dict[str, Any]) -> str | None:
    return json.loads(event.get('metadata') or '{}').get('refund_id')


def refunded_cents(items: list[dict[str, Any]]) -> int:
    """Refunds by `metadata.refund_id`, or the largest cumulative report (Stripe's charge.refunded). A refund
    counts once it returned the money: refund.succeeded, or a refund.created already refunded (Stripe's
    instant refunds). A named refund with any failure report (refund.failed, or a refund.created already
    failed or canceled) returned nothing, whatever the order of its reports; cumulative reports stay as they
    are (they do not say which refunds they include)."""
    failed = {
        _refund_id(event)
        for event in items
        if event['event_type'] == 'refund.failed'
        or (event['event_type'] == 'refund.created' and event['status'] in ('failed', 'canceled'))
    } - {None}
    done = [
        event
        for event in items
        if (
            event['event_type'] == 'refund.succeeded'
            or (event['event_type'] == 'refund.created' and event['status'] == 'refunded')
        )
        and _refund_id(event) not in failed
    ]
    return _named_or_running_total(done, 'refund_id')


def payment_currency(items: list[dict[str, Any]]) -> str:
    """The capture's currency, as the store's totals take it (`capturedIn` in src/storage/totals.ts): reading
    the events by time then event id, the first success report's, replaced by any larger one's; else the
    latest event's."""
    ordered = sorted(items, key=lambda event: (event['timestamp'], event['event_id']))
    largest: dict[str, Any] | None = None
    for event in ordered:
        if event['event_type'] in SUCCESS and (largest is None or event['amount_cents'] > largest['amount_cents']):
            largest = event
    return (largest or ordered[-1])['currency']


def latest_dispute(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The payment's dispute event that decided last: the latest by its own timestamp, the larger event id on a
    tie. A dispute can be won then lost (Adyen's CHARGEBACK_REVERSED, then SECOND_CHARGEBACK or
    PREARBITRATION_LOST) or reopened, so an earlier win says nothing of where it stands."""
    disputes = [event for event in items if event['event_type'].startswith('dispute.')]
    return max(disputes, key=lambda event: (event['timestamp'], event['event_id']), default=None)


def disputed_cents(items: list[dict[str, Any]]) -> int:
    """The amount the latest dispute event leaves under dispute: its own when open or lost, none when won."""
    latest = latest_dispute(items)
    return 0 if latest is None or latest['event_type'] == 'dispute.won' else latest['amount_cents']


def counted_captures(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The success reports that count, read by time then event id: a payment.failed naming a capture (Adyen's
    CAPTURE_FAILED, the scheme rejected it) takes out that capture's reports so far; a later report of it (a
    recapture) counts again."""
    counted: list[dict[str, Any]] = []
    for event in sorted(items, key=lambda event: (event['timestamp'], event['event_id'])):
        capture = json.loads(event.get('metadata') or '{}').get('capture_id')
        if event['event_type'] in SUCCESS:
            counted.append(event)
        elif event['event_type'] == 'payment.failed' and capture is not None:
            counted = [
                kept for kept in counted if json.loads(kept.get('metadata') or '{}').get('capture_id') != capture
            ]
    return counted


def captured_cents(items: list[dict[str, Any]]) -> int:
    """Captures by `metadata.capture_id` (Adyen's partial captures), or the largest unnamed success report
    (Stripe's payment_intent.succeeded and charge.succeeded are one capture); a rejected capture is none."""
    return _named_or_running_total(counted_captures(items), 'capture_id')


def expected_daily(events: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, int]]:
    """Per (day, provider, currency), from the raw events: the figures fct_daily_payments must show."""
    payments: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        payments[(event['provider'], event['payment_id'])].append(event)
    daily: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (provider, _), items in payments.items():
        attempts = [e for e in items if e['event_type'].startswith('payment.')]
        first = min(e['timestamp'] for e in (attempts or items))
        kinds = {e['event_type'] for e in items}
        succeeded = bool(counted_captures(items))
        gross = captured_cents(items)
        refunded = refunded_cents(items)
        disputed = disputed_cents(items)
        row = daily[(_day(first), provider, payment_currency(items))]
        row['attempted_count'] += 1 if attempts else 0
        row['succeeded_count'] += succeeded
        row['failed_count'] += 'payment.failed' in kinds and not succeeded
        row['gross_amount_cents'] += gross
        row['refunded_amount_cents'] += refunded
        row['disputed_amount_cents'] += disputed
        row['net_amount_cents'] += gross - refunded - disputed
    return {key: dict(value) for key, value in daily.items()}
