"""A short, readable summary of the marts, printed by `make lakehouse`."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Display only: the marts keep integer minor units. Exponents of the common currencies that are not 2.
_EXPONENTS = {'JPY': 0, 'KRW': 0, 'VND': 0, 'CLP': 0, 'ISK': 0, 'KWD': 3, 'BHD': 3, 'JOD': 3, 'OMR': 3, 'TND': 3}

_BY_PROVIDER_AND_CURRENCY = """
    select provider, currency, sum(attempted_count), sum(succeeded_count), sum(failed_count),
           sum(gross_amount_cents), sum(refunded_amount_cents), sum(disputed_amount_cents), sum(net_amount_cents)
    from main.fct_daily_payments
    group by provider, currency
    order by provider, currency
"""


def money(minor_units: int, currency: str) -> str:
    exponent = _EXPONENTS.get(currency, 2)
    return f'{minor_units / 10**exponent:,.{exponent}f} {currency}'


def summarize(duckdb_path: Path) -> str:
    """Renders the marts as a few lines of text; reads the warehouse without locking it for writers."""
    with duckdb.connect(str(duckdb_path), read_only=True) as db:
        payments, first_day, last_day = db.execute(
            'select count(*), min(payment_date), max(payment_date) from main.fct_payments'
        ).fetchone() or (0, None, None)
        customers = (db.execute('select count(*) from main.dim_customer').fetchone() or (0,))[0]
        merchants = (db.execute('select count(*) from main.dim_merchant').fetchone() or (0,))[0]
        # Rows re-driven by `paypipe replay` after a fix are no longer quarantined: their events are stored.
        columns = {row[0] for row in db.execute('describe data.payment_events_quarantine').fetchall()}
        still = ' where redriven_at is null' if 'redriven_at' in columns else ''
        quarantined = (db.execute(f'select count(*) from data.payment_events_quarantine{still}').fetchone() or (0,))[0]
        rows = db.execute(_BY_PROVIDER_AND_CURRENCY).fetchall()
    lines = [
        f'{payments} payments from {first_day} to {last_day}, {customers} customers, {merchants} merchants, '
        f'{quarantined} quarantined records',
        '',
        f'{"provider":<10} {"cur":<4} {"attempted":>9} {"success":>8} {"failed":>6} '
        f'{"gross":>18} {"refunded":>16} {"disputed":>16} {"net":>18}',
    ]
    for provider, currency, attempted, succeeded, failed, gross, refunded, disputed, net in rows:
        rate = f'{succeeded / attempted:.1%}' if attempted else '-'
        lines.append(
            f'{provider:<10} {currency:<4} {attempted:>9} {rate:>8} {failed:>6} {money(gross, currency):>18} '
            f'{money(refunded, currency):>16} {money(disputed, currency):>16} {money(net, currency):>18}'
        )
    lines.append('')
    lines.append('Amounts per currency, never added across currencies; net = gross - refunded - disputed.')
    return '\n'.join(lines)
