-- Per day, provider and currency: payment counts and money. Currencies are never added together.
select
    payment_date as date_day,
    provider,
    currency,
    sum(case when is_attempted then 1 else 0 end) as attempted_count,
    sum(case when outcome = 'succeeded' then 1 else 0 end) as succeeded_count,
    sum(case when outcome = 'failed' then 1 else 0 end) as failed_count,
    sum(case when outcome = 'canceled' then 1 else 0 end) as canceled_count,
    sum(case when was_retried then 1 else 0 end) as recovered_by_retry_count,
    sum(refund_count) as refund_count,
    sum(case when is_disputed then 1 else 0 end) as dispute_count,
    sum(gross_amount_cents) as gross_amount_cents,
    sum(refunded_amount_cents) as refunded_amount_cents,
    sum(disputed_amount_cents) as disputed_amount_cents,
    sum(net_amount_cents) as net_amount_cents,
    sum(event_count) as event_count
from {{ ref('int_payments') }}
group by payment_date, provider, currency
