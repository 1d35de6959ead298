"""`make lakehouse`'s summary shows each amount in major units at the scale its provider uses for the currency.

amount_cents is in the provider's minor units, which are not always ISO 4217's (PROVIDERS.md, "Currency
exponents"): Stripe takes ISK and UGX with two decimals, Adyen CLP and ISK with two and CVE and IDR with none.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from paypipe_lakehouse.summary import money, summarize
from paypipe_lakehouse.transform import DBT_DIR


@pytest.mark.parametrize(
    ('minor_units', 'currency', 'provider', 'shown'),
    [
        (123_456, 'USD', 'stripe', '1,234.56 USD'),
        (500, 'ISK', 'stripe', '5.00 ISK'),  # Stripe: 5 ISK is 500
        (500, 'ISK', 'adyen', '5.00 ISK'),
        (500, 'ISK', 'square', '500 ISK'),  # ISO 4217: zero-decimal
        (1_990, 'CLP', 'adyen', '19.90 CLP'),
        (1_990, 'CLP', 'braintree', '1,990 CLP'),
        (15_000, 'IDR', 'adyen', '15,000 IDR'),
        (15_000, 'IDR', 'stripe', '150.00 IDR'),
        (250, 'CVE', 'adyen', '250 CVE'),
        (5_000, 'XOF', 'stripe', '5,000 XOF'),
        (5_000, 'XAF', 'adyen', '5,000 XAF'),
        (70_000, 'PYG', 'square', '70,000 PYG'),
        (3_700, 'UGX', 'braintree', '3,700 UGX'),
        (3_700, 'UGX', 'stripe', '37.00 UGX'),  # Stripe still takes UGX with two decimals
        (1_000, 'MGA', 'stripe', '1,000 MGA'),
        (1_000, 'MGA', 'adyen', '10.00 MGA'),
        (12_345, 'KWD', 'adyen', '12.345 KWD'),
        (-1_500, 'JPY', 'stripe', '-1,500 JPY'),
    ],
)
def test_money_divides_by_the_providers_own_exponent_for_the_currency(
    minor_units: int, currency: str, provider: str, shown: str
) -> None:
    assert money(minor_units, currency, provider) == shown


def test_a_currency_or_provider_without_a_known_exponent_is_shown_in_minor_units_never_guessed() -> None:
    assert money(1_234, 'XAU', 'stripe') == '1,234 minor XAU'
    assert money(1_234, 'USD', 'paypal') == '1,234 minor USD'


def test_every_provider_the_marts_accept_has_an_exponent_table() -> None:
    providers = yaml.safe_load((DBT_DIR / 'dbt_project.yml').read_text())['vars']['providers']
    assert providers and all(money(100, 'EUR', provider) == '1.00 EUR' for provider in providers)


def test_the_summary_shows_the_same_minor_units_at_each_providers_scale(tmp_path: Path) -> None:
    path = tmp_path / 'warehouse.duckdb'
    with duckdb.connect(str(path)) as db:
        db.execute('create schema data')
        db.execute('create table main.fct_payments (payment_date date)')
        db.execute('create table main.dim_customer (customer_id varchar)')
        db.execute('create table main.dim_merchant (merchant_id varchar)')
        db.execute('create table data.payment_events_quarantine (id varchar, redriven_at timestamptz)')
        db.execute(
            'create table main.fct_daily_payments (provider varchar, currency varchar, attempted_count int, '
            'succeeded_count int, failed_count int, gross_amount_cents bigint, refunded_amount_cents bigint, '
            'disputed_amount_cents bigint, net_amount_cents bigint)'
        )
        db.execute(
            'insert into main.fct_daily_payments values '
            "('adyen', 'IDR', 1, 1, 0, 1500000, 0, 0, 1500000), ('stripe', 'IDR', 1, 1, 0, 1500000, 0, 0, 1500000)"
        )
    lines = summarize(path).splitlines()
    adyen = next(line for line in lines if line.startswith('adyen'))
    stripe = next(line for line in lines if line.startswith('stripe'))
    assert adyen.split()[-2:] == ['1,500,000', 'IDR'] and '15,000.00 IDR' in stripe
