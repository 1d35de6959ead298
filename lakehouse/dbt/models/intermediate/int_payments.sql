-- One row per payment (provider + payment_id), rolled up from its events. A payment has several events:
-- Stripe sends payment_intent.succeeded and charge.succeeded, Adyen authorizes then captures, a failed
-- attempt may be retried on the same payment. The amounts follow from the events' meaning, never their count:
--   gross     the captured amount, only if the payment succeeded. Captures are read as refunds are: a report
--             naming its capture (metadata.capture_id: Adyen's partial captures, each with its own amount)
--             counts once at its largest amount and named captures add up; a report without one is the whole
--             captured amount (Stripe's payment_intent.succeeded and charge.succeeded are one capture, so
--             they never add up). Gross is the larger of the two readings. A capture the scheme rejected
--             (Adyen's CAPTURE_FAILED names it) moved no money and counts again only once recaptured; a
--             payment succeeded when some capture counts (counted_captures).
--   refunded  refunds are reported two ways, as the store's totals read them: a report naming one refund
--             (metadata.refund_id; reported again when updated, so its largest amount counts once), and a
--             report of the payment's cumulative refunded amount (Stripe's charge.refunded). The refunded
--             amount is the larger of the two readings, never their sum. A refund counts once it returned
--             the money: refund.succeeded, or a refund.created already refunded (Stripe's instant refunds).
--             A named refund with any failure report (refund.failed, or a refund.created already failed or
--             canceled) returned nothing, whatever its other reports and their order; cumulative reports do
--             not say which refunds they include, so a failure is not taken out of them.
--   currency  the capture's, as the store's totals take it: the largest success report's, else the latest
--             event's (a refund let in before the capture may be in another currency)
--   disputed  what the payment's latest dispute event decided (by the event's own time, then event id): its
--             amount while open or once lost, none once won. A win can be followed by a loss (Adyen's
--             SECOND_CHARGEBACK, PREARBITRATION_LOST) or a reopening, so only the latest event counts.
--   net       gross - refunded - disputed: refunds and disputes are never revenue
with events as (
    select
        provider,
        payment_id,
        event_id,
        event_type,
        amount_cents,
        currency,
        customer_id,
        merchant_id,
        fraud_score,
        failure_code,
        status,
        {{ json_text('metadata', 'refund_id') }} as refund_id,
        {{ json_text('metadata', 'capture_id') }} as capture_id,
        "timestamp" as event_at  -- quoted: a type name in both engines
    from {{ source('iceberg', 'payment_events') }}
),

captures as (
    {{ counted_captures('events') }}
),

capture_totals as (
    select
        provider,
        payment_id,
        {{ named_or_running_total('capture_id') }} as captured_amount_cents
    from captures
    group by provider, payment_id
),

refunds as (
    {{ counted_refunds('events') }}
),

refund_totals as (
    select
        provider,
        payment_id,
        {{ named_or_running_total('refund_id') }} as refunded_amount_cents,
        greatest(count(refund_id), max(case when refund_id is null then 1 else 0 end)) as refund_count
    from refunds
    group by provider, payment_id
),

currencies as (
    {{ payment_currency('events') }}
),

disputes as (
    {{ latest_dispute('events') }}
),

per_payment as (
    select
        provider,
        payment_id,
        max(customer_id) as customer_id,
        max(merchant_id) as merchant_id,
        min(case when event_type like 'payment.%' then event_at end) as first_attempt_at,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
        count(*) as event_count,
        max(case when event_type like 'payment.%' then 1 else 0 end) as has_attempt,
        max(case when event_type = 'payment.failed' then 1 else 0 end) as has_failure,
        max(case when event_type = 'payment.canceled' then 1 else 0 end) as has_cancel,
        max(case when event_type = 'payment.authorized' then 1 else 0 end) as has_authorization,
        max(fraud_score) as max_fraud_score,
        max(failure_code) as failure_code
    from events
    group by provider, payment_id
),

amounts as (
    select
        per_payment.*,
        currencies.currency,
        coalesce(refund_totals.refunded_amount_cents, 0) as refunded_amount_cents,
        coalesce(refund_totals.refund_count, 0) as refund_count,
        case when capture_totals.payment_id is null then 0 else 1 end as has_success,
        coalesce(capture_totals.captured_amount_cents, 0) as gross_amount_cents,
        coalesce(disputes.disputed_amount_cents, 0) as disputed_amount_cents,
        coalesce(disputes.dispute_status, 'none') as dispute_status
    from per_payment
    left join currencies
        on currencies.provider = per_payment.provider
        and currencies.payment_id = per_payment.payment_id
    left join capture_totals
        on capture_totals.provider = per_payment.provider
        and capture_totals.payment_id = per_payment.payment_id
    left join refund_totals
        on refund_totals.provider = per_payment.provider
        and refund_totals.payment_id = per_payment.payment_id
    left join disputes
        on disputes.provider = per_payment.provider
        and disputes.payment_id = per_payment.payment_id
)

select
    {{ dbt.concat(['provider', "':'", 'payment_id']) }} as payment_key,
    payment_id,
    provider,
    currency,
    customer_id,
    merchant_id,
    -- The day a payment counts for is the day it was first attempted; its later refunds and disputes count
    -- against that day too (a cohort view), which keeps one payment on one row of fct_daily_payments.
    {{ utc_date('coalesce(first_attempt_at, first_event_at)') }} as payment_date,
    coalesce(first_attempt_at, first_event_at) as payment_at,
    last_event_at,
    case
        when has_success = 1 then 'succeeded'
        when has_failure = 1 then 'failed'
        when has_cancel = 1 then 'canceled'
        when has_authorization = 1 then 'authorized'
        when has_attempt = 1 then 'pending'
        else 'unknown'
    end as outcome,
    has_attempt = 1 as is_attempted,
    has_failure = 1 and has_success = 1 as was_retried,
    case when has_failure = 1 and has_success = 0 then failure_code end as failure_code,
    gross_amount_cents,
    refunded_amount_cents,
    disputed_amount_cents,
    gross_amount_cents - refunded_amount_cents - disputed_amount_cents as net_amount_cents,
    refund_count,
    dispute_status <> 'none' as is_disputed,
    dispute_status,
    max_fraud_score as fraud_score,
    event_count
from amounts
