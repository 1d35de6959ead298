-- Reconciliation: per day, provider and currency, fct_daily_payments equals what payment_events holds.
-- Recomputed straight from the source with window functions (not through int_payments), so a mistake in the
-- models' roll-up shows here as a row. Returns the rows that disagree. A payment counts in its capture's
-- currency (payment_currency, as the store's totals take it), even for its events in another currency.
with source_events as (
    select
        provider,
        payment_id,
        event_id,
        event_type,
        status,
        amount_cents,
        currency,
        {{ json_text('metadata', 'refund_id') }} as refund_id,
        {{ json_text('metadata', 'capture_id') }} as capture_id,
        "timestamp" as event_at
    from {{ source('iceberg', 'payment_events') }}
),

currencies as (
    {{ payment_currency('source_events') }}
),

events as (
    select
        provider,
        payment_id,
        event_type,
        amount_cents,
        "timestamp" as event_at,
        min(case when event_type like 'payment.%' then "timestamp" end)
            over (partition by provider, payment_id) as first_attempt_at,
        min("timestamp") over (partition by provider, payment_id) as first_event_at,
        -- the latest dispute event decides (by time, then event id): its amount unless it is a win
        first_value(case when event_type = 'dispute.won' then 0 else amount_cents end) over (
            partition by provider, payment_id
            order by case when event_type like 'dispute.%' then 0 else 1 end, "timestamp" desc nulls last,
                event_id desc
        ) as dispute_cents,
        max(case when event_type like 'dispute.%' then 1 else 0 end)
            over (partition by provider, payment_id) as disputed,
        row_number() over (partition by provider, payment_id order by event_id) as nth
    from {{ source('iceberg', 'payment_events') }}
),

-- Each named capture (Adyen's partial captures) once at its largest report, summed, or the largest unnamed
-- report (Stripe's two success reports of one capture) if that says more; a rejected capture is none. A
-- payment succeeded when some capture counts.
capture_reports as (
    {{ counted_captures('source_events') }}
),

captured as (
    select
        provider,
        payment_id,
        {{ named_or_running_total('capture_id') }} as captured_cents
    from capture_reports
    group by 1, 2
),

-- Each refund once at its largest report (none for a refund that failed), or the largest cumulative report
-- if that says more.
refund_reports as (
    {{ counted_refunds('source_events') }}
),

refunded as (
    select
        provider,
        payment_id,
        {{ named_or_running_total('refund_id') }} as refunded_cents
    from refund_reports
    group by 1, 2
),

expected as (
    select
        {{ utc_date('coalesce(first_attempt_at, first_event_at)') }} as date_day,
        events.provider,
        currencies.currency,
        count(distinct case when event_type like 'payment.%' then events.payment_id end) as attempted_count,
        count(distinct case when captured.payment_id is not null then events.payment_id end) as succeeded_count,
        count(distinct case when event_type = 'payment.failed' and captured.payment_id is null then events.payment_id end)
            as failed_count,
        sum(case when nth = 1 then coalesce(captured.captured_cents, 0) else 0 end) as gross_amount_cents,
        sum(case when nth = 1 then coalesce(refunded.refunded_cents, 0) else 0 end) as refunded_amount_cents,
        sum(case when nth = 1 and disputed = 1 then dispute_cents else 0 end)
            as disputed_amount_cents
    from events
    left join currencies
        on currencies.provider = events.provider
        and currencies.payment_id = events.payment_id
    left join captured
        on captured.provider = events.provider
        and captured.payment_id = events.payment_id
    left join refunded
        on refunded.provider = events.provider
        and refunded.payment_id = events.payment_id
    group by 1, 2, 3
),

actual as (
    select * from {{ ref('fct_daily_payments') }}
)

select
    coalesce(expected.date_day, actual.date_day) as date_day,
    coalesce(expected.provider, actual.provider) as provider,
    coalesce(expected.currency, actual.currency) as currency
from expected
full outer join actual
    on expected.date_day = actual.date_day
    and expected.provider = actual.provider
    and expected.currency = actual.currency
where expected.attempted_count is distinct from actual.attempted_count
    or expected.succeeded_count is distinct from actual.succeeded_count
    or expected.failed_count is distinct from actual.failed_count
    or expected.gross_amount_cents is distinct from actual.gross_amount_cents
    or expected.refunded_amount_cents is distinct from actual.refunded_amount_cents
    or expected.disputed_amount_cents is distinct from actual.disputed_amount_cents
    or actual.net_amount_cents is distinct from
        expected.gross_amount_cents - expected.refunded_amount_cents - expected.disputed_amount_cents
