"""The whole lakehouse through Dagster, in process: ingest assets, then dbt build with its tests as checks.

Two different stores are materialized; on each the marts must reconcile with the store's events.
"""

from __future__ import annotations

import calendar
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dagster import (
    AssetKey,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    ExecuteInProcessResult,
    RunRequest,
    SkipReason,
    build_sensor_context,
    materialize,
)
from dagster._core.test_utils import create_run_for_test

import paypipe_lakehouse.sync as sync_module
from paypipe_lakehouse.definitions import ASSETS, SENSOR_RETRIES, defs, new_store_rows
from paypipe_lakehouse.ingest import INGEST_ASSETS
from paypipe_lakehouse.transform import DBT_DIR, dbt_resource

from conftest import isolate, make_store
from helpers import expected_daily, iceberg_rows, store_rows
from simulated_store import START, StoryBuilder

DAILY_COLUMNS = (
    'attempted_count',
    'succeeded_count',
    'failed_count',
    'gross_amount_cents',
    'refunded_amount_cents',
    'disputed_amount_cents',
    'net_amount_cents',
)


def materialize_all(instance: DagsterInstance, assets: list[Any] = ASSETS) -> ExecuteInProcessResult:
    return materialize(assets, resources={'dbt': dbt_resource()}, instance=instance, raise_on_error=False)


def dbt_runs() -> list[Path]:
    return list((DBT_DIR / 'target').glob('dbt_models-*'))


def warehouse(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_dir / 'warehouse.duckdb'), read_only=True)


def assert_marts_reconcile(data_dir: Path) -> None:
    events = store_rows(data_dir / 'paypipe.db')
    with warehouse(data_dir) as db:
        payments = db.execute('select count(*), count(distinct payment_key) from fct_payments').fetchone()
        daily = db.execute(f'select date_day, provider, currency, {", ".join(DAILY_COLUMNS)} from fct_daily_payments')
        actual = {(str(r[0]), r[1], r[2]): dict(zip(DAILY_COLUMNS, r[3:], strict=True)) for r in daily.fetchall()}
        rates = db.execute('select succeeded_count, attempted_count, success_rate from fct_daily_payments').fetchall()
    assert payments == (len({(e['provider'], e['payment_id']) for e in events}),) * 2
    assert actual == expected_daily(events)
    # success rate = succeeded / attempted payments (not events), unknown on a day without attempts
    assert rates and all(rate == (pytest.approx(s / a) if a else None) for s, a, rate in rates)


def materialize_story(
    story: StoryBuilder, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ExecuteInProcessResult, list[str]]:
    """Writes the story as the store in `data_dir`, materializes every asset on it, and gives the result
    with the names of the checks that failed."""
    data_dir.mkdir()
    story.write(data_dir / 'paypipe.db')
    isolate(monkeypatch, data_dir)
    result = materialize_all(DagsterInstance.ephemeral())
    return result, sorted(c.check_name for c in result.get_asset_check_evaluations() if not c.passed)


@pytest.fixture(scope='module')
def store_a(tmp_path_factory: pytest.TempPathFactory, module_env: pytest.MonkeyPatch) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp('store-a')
    make_store(data_dir, 'a', seed=11, payments=500)
    isolate(module_env, data_dir)
    yield data_dir


def test_a_failed_ingest_run_then_a_rerun_materializes_everything(
    store_a: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = DagsterInstance.ephemeral()
    monkeypatch.setenv('LAKEHOUSE_BATCH_ROWS', '200')
    real = sync_module.to_arrow

    def crash_on_second_batch(columns: Any, rows: list[Any], spec: Any) -> Any:
        if rows and rows[0]['ingested_seq'] > 200 and spec.name == 'payment_events':
            raise RuntimeError('killed mid-run')
        return real(columns, rows, spec)

    monkeypatch.setattr(sync_module, 'to_arrow', crash_on_second_batch)
    failed = materialize_all(instance)
    assert not failed.success
    assert iceberg_rows('payment_events').num_rows == 200

    monkeypatch.setattr(sync_module, 'to_arrow', real)
    runs_kept = set(dbt_runs())
    result = materialize_all(instance)
    assert result.success
    # a successful run leaves no target folder behind (one per run would fill the disk on a schedule)
    assert set(dbt_runs()) == runs_kept
    checks = result.get_asset_check_evaluations()
    assert len(checks) > 40 and all(check.passed for check in checks)
    marts = {event.asset_key for event in result.get_asset_materialization_events()}
    assert {AssetKey('fct_payments'), AssetKey('fct_daily_payments'), AssetKey('dim_date')} <= marts
    assert_marts_reconcile(store_a)


def test_rerunning_the_ingest_copies_nothing_twice(store_a: Path) -> None:
    before = iceberg_rows('payment_events').num_rows
    result = materialize(INGEST_ASSETS, instance=DagsterInstance.ephemeral())
    read = [m.materialization.metadata['rows_read'].value for m in result.get_asset_materialization_events()]
    assert read == [0, 0]
    ids = iceberg_rows('payment_events')['event_id'].to_pylist()
    assert len(ids) == len(set(ids)) == before == len(store_rows(store_a / 'paypipe.db'))


def quarantine_one(store: Path, record_id: str) -> None:
    """A new row in the store, which Iceberg has not copied."""
    connection = sqlite3.connect(store)
    connection.execute(
        'INSERT INTO payment_events_quarantine (id, provider, stage, reasons, quarantined_at) '
        f"VALUES ('{record_id}', 'square', 'normalizer', '[]', '2026-03-02T10:00:00.000Z')"
    )
    connection.commit()
    connection.close()


def test_the_sensor_asks_for_a_run_only_when_the_store_has_new_rows(store_a: Path) -> None:
    tick = build_sensor_context(instance=DagsterInstance.ephemeral())
    assert isinstance(new_store_rows(tick), SkipReason)
    quarantine_one(store_a / 'paypipe.db', 'q_new')
    request = new_store_rows(tick)
    assert isinstance(request, RunRequest) and 'payment_events_quarantine@' in str(request.run_key)


def sensor_run(instance: DagsterInstance, request: RunRequest, status: DagsterRunStatus) -> DagsterRun:
    """The run Dagster's sensor daemon starts for `request`, in `status`: tagged with its run key, by which
    the daemon never starts a second run."""
    tags = {**request.tags, 'dagster/run_key': str(request.run_key)}
    return create_run_for_test(instance, job_name='lakehouse_refresh', status=status, tags=tags)


def test_the_sensor_asks_again_for_a_position_whose_run_failed_but_never_beside_a_running_one(
    store_a: Path,
) -> None:
    quarantine_one(store_a / 'paypipe.db', 'q_retry')
    instance = DagsterInstance.ephemeral()
    tick = build_sensor_context(instance=instance)
    first = new_store_rows(tick)
    assert isinstance(first, RunRequest)
    sensor_run(instance, first, DagsterRunStatus.STARTED)
    # running: nothing to ask for, whatever the store says
    assert isinstance(new_store_rows(tick), SkipReason)

    failed = sensor_run(instance, first, DagsterRunStatus.FAILURE)
    retry = new_store_rows(tick)
    assert isinstance(retry, RunRequest) and retry.run_key != first.run_key and failed.run_id in str(retry.run_key)
    # every tick until the retry starts asks under the same key, so the daemon starts one run for it
    again = new_store_rows(tick)
    assert isinstance(again, RunRequest) and again.run_key == retry.run_key
    sensor_run(instance, retry, DagsterRunStatus.STARTING)
    assert isinstance(new_store_rows(tick), SkipReason)


def test_the_sensor_leaves_a_position_that_keeps_failing_to_the_hourly_schedule(store_a: Path) -> None:
    quarantine_one(store_a / 'paypipe.db', 'q_failing')
    instance = DagsterInstance.ephemeral()
    tick = build_sensor_context(instance=instance)
    keys = []
    while isinstance(request := new_store_rows(tick), RunRequest) and len(keys) < 10:
        keys.append(request.run_key)
        sensor_run(instance, request, DagsterRunStatus.FAILURE)
    assert len(keys) == len(set(keys)) == 1 + SENSOR_RETRIES
    assert isinstance(request, SkipReason) and 'hourly' in str(request.skip_message)


def test_the_sensor_never_asks_again_for_a_position_whose_run_succeeded(store_a: Path) -> None:
    quarantine_one(store_a / 'paypipe.db', 'q_done')
    instance = DagsterInstance.ephemeral()
    tick = build_sensor_context(instance=instance)
    request = new_store_rows(tick)
    assert isinstance(request, RunRequest)
    sensor_run(instance, request, DagsterRunStatus.FAILURE)
    retry = new_store_rows(tick)
    assert isinstance(retry, RunRequest)
    # a success that left the store ahead of Iceberg (an open PostgreSQL writer held the watermark) is final
    sensor_run(instance, retry, DagsterRunStatus.SUCCESS)
    assert isinstance(new_store_rows(tick), SkipReason)


def test_dim_date_names_days_and_months_correctly(store_a: Path) -> None:
    with warehouse(store_a) as db:
        days = db.execute(
            'select date_day, day_name, month_name, iso_day_of_week, is_weekend from dim_date order by date_day'
        ).fetchall()
    assert len(days) == (days[-1][0] - days[0][0]).days + 1  # every day, none skipped
    for day, day_name, month_name, iso_day, weekend in days:
        assert isinstance(day, date)
        assert (day_name, month_name) == (calendar.day_name[day.weekday()], calendar.month_name[day.month])
        assert (iso_day, weekend) == (day.isoweekday(), day.weekday() >= 5)


def test_the_lineage_runs_store_to_iceberg_to_intermediate_to_marts() -> None:
    graph = defs.resolve_asset_graph()
    parents = {
        key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert parents['payment_events'] == {'store/payment_events'}
    assert parents['int_payments'] == {'payment_events'}
    assert parents['fct_daily_payments'] == {'int_daily_summary'}
    assert graph.get(AssetKey('int_payments')).group_name == 'intermediate'
    assert graph.get(AssetKey('fct_payments')).group_name == 'marts'


def test_the_marts_reconcile_on_a_second_different_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / 'store-b'
    make_store(data_dir, 'b', seed=2026, payments=350)
    isolate(monkeypatch, data_dir)
    result = materialize_all(DagsterInstance.ephemeral())
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    assert_marts_reconcile(data_dir)
    with warehouse(data_dir) as db:
        currencies = {row[0] for row in db.execute('select distinct currency from fct_daily_payments').fetchall()}
    assert len(currencies) >= 2


def test_the_marts_read_failed_refunds_and_mixed_currencies_as_the_store_totals_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each payment's figures are those src/storage/totals.ts computes from the same events."""
    story = StoryBuilder()
    at = [START + timedelta(minutes=n) for n in range(8)]
    # Adyen: a refund that succeeded, then failed (REFUND_FAILED), so the merchant issued it again.
    adyen = story.start('adyen', 'psp_reissued', 'EUR', 10_000)
    story.event(adyen, 'payment.authorized', 'authorized', at[0])
    story.event(adyen, 'payment.captured', 'succeeded', at[1], metadata={'capture_id': 'cap_1'})
    story.event(adyen, 'refund.succeeded', 'refunded', at[2], metadata={'refund_id': 'ref_1'})
    story.event(adyen, 'refund.failed', 'failed', at[3], metadata={'refund_id': 'ref_1'})
    story.event(adyen, 'refund.succeeded', 'refunded', at[4], metadata={'refund_id': 'ref_2'})
    # Stripe: a refund's failure reported at the same time as its success, and first (a smaller event id).
    stripe = story.start('stripe', 'pi_failed_first', 'USD', 5_000)
    story.event(stripe, 'payment.succeeded', 'succeeded', at[0])
    story.event(stripe, 'refund.created', 'pending', at[1], amount=2_000, metadata={'refund_id': 're_1'})
    story.event(stripe, 'refund.failed', 'failed', at[2], amount=2_000, metadata={'refund_id': 're_1'})
    story.event(stripe, 'refund.succeeded', 'refunded', at[2], amount=2_000, metadata={'refund_id': 're_1'})
    story.event(stripe, 'refund.created', 'refunded', at[3], amount=1_500, metadata={'refund_id': 're_2'})
    # Stripe: charge.refunded's cumulative report included a refund that failed later; it still counts.
    cumulative = story.start('stripe', 'pi_cumulative', 'USD', 5_000)
    story.event(cumulative, 'payment.succeeded', 'succeeded', at[0])
    story.event(cumulative, 'refund.succeeded', 'refunded', at[1], amount=600, metadata={'refund_id': 're_3'})
    story.event(cumulative, 'refund.succeeded', 'refunded', at[1], amount=600)
    story.event(cumulative, 'refund.failed', 'failed', at[2], amount=600, metadata={'refund_id': 're_3'})
    # Square: a refund in EUR let in before its GBP capture; the payment is in the capture's currency.
    square = story.start('square', 'sq_mixed', 'GBP', 3_000)
    story.event(square, 'refund.succeeded', 'refunded', at[0], amount=1_000, currency='EUR')
    story.event(square, 'payment.succeeded', 'succeeded', at[1])
    # Braintree: no capture, so the latest event's currency.
    braintree = story.start('braintree', 'bt_uncaptured', 'USD', 4_000)
    story.event(braintree, 'refund.failed', 'failed', at[0], currency='EUR', metadata={'refund_id': 'bt_r'})
    story.event(braintree, 'payment.failed', 'failed', at[1], failure_code='do_not_honor')
    data_dir = tmp_path / 'store-stories'
    result, failed_checks = materialize_story(story, data_dir, monkeypatch)
    with warehouse(data_dir) as db:
        rows = db.execute(
            'select payment_key, currency, gross_amount_cents, refunded_amount_cents, net_amount_cents, '
            'refund_count from fct_payments order by payment_key'
        ).fetchall()
    assert rows == [
        ('adyen:psp_reissued', 'EUR', 10_000, 10_000, 0, 1),
        ('braintree:bt_uncaptured', 'USD', 0, 0, 0, 0),
        ('square:sq_mixed', 'GBP', 3_000, 1_000, 2_000, 1),
        ('stripe:pi_cumulative', 'USD', 5_000, 600, 4_400, 1),
        ('stripe:pi_failed_first', 'USD', 5_000, 1_500, 3_500, 1),
    ]
    assert_marts_reconcile(data_dir)
    assert failed_checks == []
    assert result.success


def test_a_capture_the_scheme_rejected_leaves_the_gross_until_captured_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adyen's CAPTURE_FAILED names the capture the scheme rejected after Adyen accepted it: that capture moved
    no money, so it leaves the payment's gross (as in src/storage/totals.ts) until Adyen captures it again
    ('Transaction Recaptured'); a payment whose only capture was rejected did not succeed."""
    story = StoryBuilder()
    at = [START + timedelta(hours=n) for n in range(4)]
    partial = story.start('adyen', 'psp_second_rejected', 'EUR', 10_000)
    story.event(partial, 'payment.captured', 'succeeded', at[0], amount=6_000, metadata={'capture_id': 'cap_a'})
    story.event(partial, 'payment.captured', 'succeeded', at[1], amount=4_000, metadata={'capture_id': 'cap_b'})
    story.event(partial, 'payment.failed', 'failed', at[2], amount=4_000, metadata={'capture_id': 'cap_b'})
    recaptured = story.start('adyen', 'psp_recaptured', 'EUR', 5_000)
    story.event(recaptured, 'payment.captured', 'succeeded', at[0], metadata={'capture_id': 'cap_r'})
    story.event(recaptured, 'payment.failed', 'failed', at[1], metadata={'capture_id': 'cap_r'})
    story.event(recaptured, 'payment.captured', 'succeeded', at[2], metadata={'capture_id': 'cap_r'})
    # Stored in the opposite order of their times: the rejection is the latest report all the same.
    rejected = story.start('adyen', 'psp_only_rejected', 'EUR', 7_000)
    story.event(
        rejected, 'payment.failed', 'failed', at[3], failure_code='try_again_later', metadata={'capture_id': 'cap_x'}
    )
    story.event(rejected, 'payment.captured', 'succeeded', at[1], metadata={'capture_id': 'cap_x'})
    data_dir = tmp_path / 'store-rejected-captures'
    result, failed_checks = materialize_story(story, data_dir, monkeypatch)
    with warehouse(data_dir) as db:
        rows = db.execute(
            'select payment_key, outcome, gross_amount_cents, net_amount_cents from fct_payments order by payment_key'
        ).fetchall()
    assert rows == [
        ('adyen:psp_only_rejected', 'failed', 0, 0),
        ('adyen:psp_recaptured', 'succeeded', 5_000, 5_000),
        ('adyen:psp_second_rejected', 'succeeded', 6_000, 6_000),
    ]
    assert_marts_reconcile(data_dir)
    assert failed_checks == []
    assert result.success


def test_a_payments_disputed_amount_is_what_its_latest_dispute_event_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dispute won can still be lost (Adyen's SECOND_CHARGEBACK or PREARBITRATION_LOST after a
    CHARGEBACK_REVERSED) or reopened: the latest dispute event by its own timestamp decides, the larger
    event id on a tie, whatever order the events were stored in."""
    story = StoryBuilder()
    at = [START + timedelta(days=n) for n in range(5)]
    second = story.start('adyen', 'psp_second_chargeback', 'EUR', 10_000)
    story.event(second, 'payment.captured', 'succeeded', at[0], metadata={'capture_id': 'cap_s'})
    story.event(second, 'dispute.opened', 'disputed', at[1])
    story.event(second, 'dispute.won', 'disputed', at[2])
    story.event(second, 'dispute.lost', 'disputed', at[3])
    # Pre-arbitration lost on part of the amount: the latest decision's amount, not the first chargeback's.
    prearbitration = story.start('adyen', 'psp_prearbitration', 'EUR', 8_000)
    story.event(prearbitration, 'payment.captured', 'succeeded', at[0], metadata={'capture_id': 'cap_p'})
    story.event(prearbitration, 'dispute.opened', 'disputed', at[1])
    story.event(prearbitration, 'dispute.won', 'disputed', at[2])
    story.event(prearbitration, 'dispute.lost', 'disputed', at[3], amount=3_000)
    reopened = story.start('braintree', 'bt_reopened', 'USD', 5_000)
    story.event(reopened, 'payment.succeeded', 'succeeded', at[0])
    story.event(reopened, 'dispute.opened', 'disputed', at[1])
    story.event(reopened, 'dispute.won', 'disputed', at[2])
    story.event(reopened, 'dispute.opened', 'disputed', at[3])
    # Stored out of order: the win on appeal came last in time but has the smaller event id.
    appealed = story.start('stripe', 'pi_won_on_appeal', 'USD', 7_000)
    story.event(appealed, 'payment.succeeded', 'succeeded', at[0])
    story.event(appealed, 'dispute.opened', 'disputed', at[1])
    story.event(appealed, 'dispute.won', 'disputed', at[3])
    story.event(appealed, 'dispute.lost', 'disputed', at[2])
    # Won and lost reported at the same instant: the larger event id (the loss) decides.
    tie = story.start('square', 'sq_same_instant', 'GBP', 2_000)
    story.event(tie, 'payment.succeeded', 'succeeded', at[0])
    story.event(tie, 'dispute.opened', 'disputed', at[1])
    story.event(tie, 'dispute.won', 'disputed', at[2])
    story.event(tie, 'dispute.lost', 'disputed', at[2])
    data_dir = tmp_path / 'store-disputes'
    result, failed_checks = materialize_story(story, data_dir, monkeypatch)
    with warehouse(data_dir) as db:
        rows = db.execute(
            'select payment_key, dispute_status, disputed_amount_cents, net_amount_cents from fct_payments '
            'order by payment_key'
        ).fetchall()
        lost = db.execute("select disputes_lost_count from dim_merchant where merchant_id = 'mer_story'").fetchone()
    assert rows == [
        ('adyen:psp_prearbitration', 'lost', 3_000, 5_000),
        ('adyen:psp_second_chargeback', 'lost', 10_000, 0),
        ('braintree:bt_reopened', 'open', 5_000, 0),
        ('square:sq_same_instant', 'lost', 2_000, 0),
        ('stripe:pi_won_on_appeal', 'won', 0, 7_000),
    ]
    assert lost == (3,)
    assert_marts_reconcile(data_dir)
    assert failed_checks == []
    assert result.success
