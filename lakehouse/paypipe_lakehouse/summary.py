"""A short, readable summary of the marts, printed by `make lakehouse`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb

# Display only: the marts keep integer minor units, the provider's, which are not always ISO 4217's (Stripe
# takes ISK with two decimals, Adyen IDR with none). The pipeline's own tables, written by `make schema`
# (src/providers/exponents-document.ts): ISO 4217, and per provider where it departs from it.
_EXPONENTS = json.loads(Path(__file__).with_name('currency_exponents.json').read_text())

_BY_PROVIDER_AND_CURRENCY = """
    select provider, currency, sum(attempted_count), sum(succeeded_count), sum(failed_count),
           sum(gross_amount_cents), sum(refunded_amount_cents), sum(disputed_amount_cents), sum(net_amount_cents)
    from main.fct_daily_payments
    group by provider, currency
    order by provider, currency
"""


def exponent(currency: str, provider: str) -> int | None:
    """The provider's exponent for the currency (10**exponent minor units a major unit); None when not known."""
    departures = _EXPONENTS['providers'].get(provider)
    if departures is None:
        return None
    return departures[currency] if currency in departures else _EXPONENTS['iso_4217'].get(currency)


def money(minor_units: int, currency: str, provider: str) -> str:
    """The amount in major units at the provider's scale; in minor units, said so, when the scale is unknown."""
    digits = exponent(currency, provider)
    if digits is None:
        return f'{minor_units:,} minor {currency}'
    return f'{Decimal(minor_units).scaleb(-digits):,.{digits}f} {currency}'


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
            f'{provider:<10} {currency:<4} {attempted:>9} {rate:>8} {failed:>6} {money(gross, currency, provider):>18} '
            f'{money(refunded, currency, provider):>16} {money(disputed, currency, provider):>16} '
            f'{money(net, currency, provider):>18}'
        )
    lines.append('')
    lines.append(
        "Amounts per currency, never added across currencies, in major units at the provider's exponent; "
        'net = gross - refunded - disputed.'
    )
    return '\n'.join(lines)
