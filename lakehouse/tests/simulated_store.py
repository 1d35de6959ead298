"""A seeded stand-in for the TypeScript simulator: fills a SQLite store built from the real migrations.

Realistic shapes on purpose: several events per payment (Stripe sends both `payment_intent.succeeded` and
`charge.succeeded`), authorize-then-capture (Adyen's sometimes in two partial captures, each naming its
capture), failures with retries on the same payment, partial and full refunds announced by `refund.created`
then `refund.succeeded` (some failing, some on Adyen failing after they succeeded and issued again), disputes
won and lost (some won, then lost), JPY and KWD amounts, and quarantined records. To run the tests on a store
the real simulator filled, point `LAKEHOUSE_TEST_STORE` at its file (see conftest.py).
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / 'src' / 'storage' / 'migrations' / 'sqlite'
PROVIDERS = ('stripe', 'square', 'adyen', 'braintree')
# Typical ticket sizes in minor units: JPY has no minor unit, KWD has three.
CURRENCIES = {'USD': 5_000, 'EUR': 4_000, 'GBP': 3_500, 'JPY': 6_000, 'KWD': 15_000}
FAILURES = ('insufficient_funds', 'do_not_honor', 'expired_card', 'incorrect_cvc', 'try_again_later')
START = datetime(2026, 3, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + f'{moment.microsecond // 1000:03d}Z'


def create_store(path: Path) -> sqlite3.Connection:
    """An empty store with the pipeline's own schema."""
    connection = sqlite3.connect(path)
    for migration in sorted(MIGRATIONS.glob('*.sql')):
        connection.executescript(migration.read_text())
    return connection


class _World:
    def __init__(self, seed: int, days: int) -> None:
        self.random = random.Random(seed)
        self.days = days
        self.customers = [f'cus_{seed}_{n:04d}' for n in range(max(20, days * 8))]
        self.merchants = [f'mer_{seed}_{n:02d}' for n in range(8)]
        self.events: list[dict[str, object]] = []
        self.counter = 0

    def event(self, payment: dict[str, object], event_type: str, status: str, at: datetime, **extra: object) -> None:
        self.counter += 1
        provider = str(payment['provider'])
        failure = extra.get('failure_code')
        self.events.append(
            {
                'event_id': f'{provider}:evt_{self.counter:07d}',
                'schema_version': 1,
                'provider': provider,
                'event_type': event_type,
                'provider_event_type': f'{provider}.{event_type}',
                'payment_id': payment['payment_id'],
                'amount_cents': extra.get('amount', payment['amount']),
                'currency': extra.get('currency', payment['currency']),
                'status': status,
                'failure_code': failure,
                'customer_id': payment['customer_id'],
                'merchant_id': payment['merchant_id'],
                'timestamp': _iso(at),
                'received_at': _iso(at + timedelta(milliseconds=self.random.randint(20, 900))),
                'metadata': json.dumps(
                    {**({'raw_code': str(failure)} if failure else {}), **extra.get('metadata', {})}
                ),
                'fraud_score': round(self.random.random() ** 3, 4) if status == 'succeeded' else None,
                'churn_score': round(self.random.random(), 4),
                'retry_strategy': self.random.choice(('delayed', 'none')) if failure else None,
                'retry_at': _iso(at + timedelta(hours=6)) if failure else None,
                'processed_at': _iso(at + timedelta(seconds=1)),
                'model_versions': json.dumps({'fraud': 'fraud-v1', 'churn': 'churn-v1', 'retry': 'retry-v1'}),
            }
        )

    def payment(self, number: int) -> None:
        r = self.random
        currency = r.choice(tuple(CURRENCIES))
        payment = {
            'provider': r.choice(PROVIDERS),
            'payment_id': f'pay_{number:06d}',
            'currency': currency,
            'amount': max(1, int(r.lognormvariate(0, 0.8) * CURRENCIES[currency])),
            'customer_id': r.choice(self.customers) if r.random() > 0.05 else None,
            'merchant_id': r.choice(self.merchants),
        }
        at = START + timedelta(days=r.randrange(self.days), seconds=r.randrange(86_400))
        roll = r.random()
        if roll < 0.05:
            self.event(payment, 'payment.pending', 'pending', at)
            return
        if roll < 0.09:
            self.event(payment, 'payment.authorized', 'authorized', at)
            self.event(payment, 'payment.canceled', 'canceled', at + timedelta(hours=2))
            return
        if roll < 0.25:
            self.event(payment, 'payment.failed', 'failed', at, failure_code=r.choice(FAILURES))
            if r.random() < 0.6:
                return
            at += timedelta(hours=r.randint(1, 30))  # a retry on the same payment that goes through
        self.succeed(payment, at)

    def refund(self, payment: dict[str, object], at: datetime) -> None:
        """One or two refunds, each reported by refund id (sometimes twice, as created and updated events
        are), and on Stripe also as the charge's cumulative refunded amount without a refund id."""
        r = self.random
        amount = int(payment['amount'])
        parts = [amount] if r.random() < 0.5 or amount < 3 else [amount // 3, amount // 3]
        when = at + timedelta(days=r.randint(0, 4), hours=1)
        refunded = 0
        for part in parts:
            self.counter += 1
            reference = {'refund_id': f're_{self.counter:07d}'}
            if payment['provider'] == 'stripe' and r.random() < 0.3:
                # A card refund that succeeded at once: Stripe reports it by refund.created alone, already
                # refunded, and no refund.updated follows (nor, here, the charge's cumulative report).
                self.event(payment, 'refund.created', 'refunded', when, amount=part, metadata=reference)
                refunded += part
                continue
            self.event(payment, 'refund.created', 'pending', when, amount=part, metadata=reference)
            when += timedelta(minutes=3)
            if r.random() < 0.1:
                self.event(payment, 'refund.failed', 'failed', when, amount=part, metadata=reference)
                continue
            self.event(payment, 'refund.succeeded', 'refunded', when, amount=part, metadata=reference)
            if r.random() < 0.3:
                self.event(
                    payment,
                    'refund.succeeded',
                    'refunded',
                    when + timedelta(seconds=30),
                    amount=part,
                    metadata=reference,
                )
            if payment['provider'] == 'adyen' and r.random() < 0.2:
                # Adyen's REFUND_FAILED: the refund failed after it succeeded, so it returned nothing, and the
                # merchant issues it again under a new reference.
                self.event(
                    payment, 'refund.failed', 'failed', when + timedelta(days=1), amount=part, metadata=reference
                )
                self.counter += 1
                reference = {'refund_id': f're_{self.counter:07d}'}
                when += timedelta(days=1, hours=2)
                self.event(payment, 'refund.succeeded', 'refunded', when, amount=part, metadata=reference)
            refunded += part
            if payment['provider'] == 'stripe':
                self.event(payment, 'refund.succeeded', 'refunded', when + timedelta(seconds=1), amount=refunded)

    def succeed(self, payment: dict[str, object], at: datetime) -> None:
        r = self.random
        if payment['provider'] == 'adyen':
            self.event(payment, 'payment.authorized', 'authorized', at)
            # Each CAPTURE names itself (its own pspReference); some payments are captured in two parts.
            amount = int(payment['amount'])
            parts = [amount] if r.random() < 0.6 or amount < 2 else [amount * 3 // 5, amount - amount * 3 // 5]
            for n, part in enumerate(parts):
                self.counter += 1
                capture = {'capture_id': f'cap_{self.counter:07d}'}
                when = at + timedelta(minutes=5 + n)
                self.event(payment, 'payment.captured', 'succeeded', when, amount=part, metadata=capture)
        else:
            self.event(payment, 'payment.succeeded', 'succeeded', at)
            if payment['provider'] == 'stripe':  # charge.succeeded beside payment_intent.succeeded
                self.event(payment, 'payment.succeeded', 'succeeded', at + timedelta(milliseconds=40))
        if r.random() < 0.12:
            self.refund(payment, at)
        elif r.random() < 0.05:
            when = at + timedelta(days=r.randint(1, 6))
            self.event(payment, 'dispute.opened', 'disputed', when)
            outcome = r.choice(('dispute.won', 'dispute.lost', None))
            if outcome:
                status = 'succeeded' if outcome == 'dispute.won' else 'disputed'
                when += timedelta(days=r.randint(5, 20))
                self.event(payment, outcome, status, when)
                if outcome == 'dispute.won' and r.random() < 0.4:
                    # Adyen's SECOND_CHARGEBACK after a CHARGEBACK_REVERSED: the win did not last.
                    self.event(payment, 'dispute.lost', 'disputed', when + timedelta(days=r.randint(3, 10)))


def fill_store(path: Path, seed: int, payments: int = 600, days: int = 14, quarantined: int = 25) -> Path:
    """Writes a store file and returns its path; the same seed always gives the same rows."""
    world = _World(seed, days)
    for number in range(payments):
        world.payment(number)
    world.random.shuffle(world.events)  # the pipeline stores in arrival order, not event-time order
    return write_store(path, world.events, world.random, quarantined)


def write_store(path: Path, events: list[dict[str, object]], rng: random.Random, quarantined: int = 0) -> Path:
    """Writes `events` (rows as `StoryBuilder` or the seeded world makes them) to a new store file."""
    connection = create_store(path)
    columns = list(events[0])
    connection.executemany(
        f'INSERT INTO payment_events ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})',
        [tuple(event[c] for c in columns) for event in events],
    )
    add_quarantined(connection, rng, quarantined)
    connection.commit()
    connection.close()
    return path


class StoryBuilder(_World):
    """Hand-written payments for a test: `start` begins one, `event` adds its events (event ids follow the
    order of the calls; `currency=` gives one event another currency), and `write` stores them."""

    def __init__(self) -> None:
        super().__init__(seed=0, days=1)

    def start(self, provider: str, payment_id: str, currency: str, amount: int) -> dict[str, object]:
        return {
            'provider': provider,
            'payment_id': payment_id,
            'currency': currency,
            'amount': amount,
            'customer_id': 'cus_story',
            'merchant_id': 'mer_story',
        }

    def write(self, path: Path) -> Path:
        return write_store(path, self.events, self.random)


def add_quarantined(connection: sqlite3.Connection, rng: random.Random, count: int) -> None:
    for number in range(count):
        at = START + timedelta(days=rng.randrange(7), seconds=rng.randrange(86_400))
        connection.execute(
            'INSERT INTO payment_events_quarantine (id, event_id, provider, stage, reasons, record, event, '
            'quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            (
                f'q_{rng.getrandbits(48):012x}_{number}',
                None if number % 3 == 0 else f'stripe:evt_q{number}',
                rng.choice(PROVIDERS),
                # A record that never became an event stops at the normalizer; an event that broke a business
                # rule stops at the orchestrator (QuarantineStage in src/storage/port.ts).
                'normalizer' if number % 3 == 0 else 'orchestrator',
                json.dumps([{'code': 'amount_negative', 'message': 'amount must not be negative'}]),
                json.dumps({'body': '{}'}),
                None,
                _iso(at),
            ),
        )
