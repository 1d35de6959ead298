"""Reading back what the lakehouse wrote, and an independent Python model of the marts' money rules."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from paypipe_lakehouse.iceberg import open_catalog

SUCCESS = {'payment.succeeded', 'payment.captured'}


def iceberg_rows(name: str) -> pa.Table:
    return open_catalog().load_table(('data', name)).scan().to_arrow()


def store_rows(store: Path, table: str = 'payment_events') -> list[dict[str, Any]]:
    connection = sqlite3.connect(store)
    connection.row_factory = sqlite3.Row
    rows = [dict(row) for row in connection.execute(f'SELECT * FROM {table}')]
    connection.close()
    return rows


def _day(timestamp: str) -> str:
    return datetime.fromisoformat(timestamp).astimezone(UTC).date().isoformat()


def refunded_cents(items: list[dict[str, Any]]) -> int:
    """What a payment's refund reports add up to, read as the store's totals read them: each refund named by
    `metadata.refund_id` once at its largest report, or the largest cumulative report (no refund id, e.g.
    Stripe's charge.refunded) when that says more. Never the sum of the two readings. A refund counts once it
    returned the money: refund.succeeded, or a refund.created already refunded (Stripe's instant refunds)."""
    itemized: dict[str, int] = {}
    cumulative = 0
    for event in items:
        done = event['event_type'] == 'refund.succeeded' or (
            event['event_type'] == 'refund.created' and event['status'] == 'refunded'
        )
        if not done:
            continue
        refund_id = json.loads(event.get('metadata') or '{}').get('refund_id')
        if refund_id is None:
            cumulative = max(cumulative, event['amount_cents'])
        else:
            itemized[refund_id] = max(itemized.get(refund_id, 0), event['amount_cents'])
    return max(sum(itemized.values()), cumulative)


def captured_cents(items: list[dict[str, Any]]) -> int:
    """What a payment's success and capture reports add up to, read as the store's totals read them: each
    capture named by `metadata.capture_id` (Adyen's partial captures) once at its largest report, summed, or
    the largest unnamed report (Stripe's payment_intent.succeeded and charge.succeeded are one capture) when
    that says more. Never the sum of the two readings."""
    itemized: dict[str, int] = {}
    unnamed = 0
    for event in items:
        if event['event_type'] not in SUCCESS:
            continue
        capture_id = json.loads(event.get('metadata') or '{}').get('capture_id')
        if capture_id is None:
            unnamed = max(unnamed, event['amount_cents'])
        else:
            itemized[capture_id] = max(itemized.get(capture_id, 0), event['amount_cents'])
    return max(sum(itemized.values()), unnamed)


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
        succeeded = bool(kinds & SUCCESS)
        gross = captured_cents(items)
        refunded = refunded_cents(items)
        disputes = [e['amount_cents'] for e in items if e['event_type'] in ('dispute.opened', 'dispute.lost')]
        disputed = 0 if 'dispute.won' in kinds else max(disputes, default=0)
        row = daily[(_day(first), provider, items[0]['currency'])]
        row['attempted_count'] += 1 if attempts else 0
        row['succeeded_count'] += succeeded
        row['failed_count'] += 'payment.failed' in kinds and not succeeded
        row['gross_amount_cents'] += gross
        row['refunded_amount_cents'] += refunded
        row['disputed_amount_cents'] += disputed
        row['net_amount_cents'] += gross - refunded - disputed
    return {key: dict(value) for key, value in daily.items()}
