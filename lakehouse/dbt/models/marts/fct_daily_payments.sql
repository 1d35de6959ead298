-- Per day, provider and currency; amounts in that currency's minor unit (never summed across currencies).
select
    date_day,
    provider,
    currency,
    attempted_count,
    succeeded_count,
    failed_count,
    canceled_count,
    recovered_by_retry_count,
    {{ ratio('succeeded_count', 'attempted_count') }} as success_rate,
    refund_count,
    dispute_count,
    gross_amount_cents,
    refunded_amount_cents,
    disputed_amount_cents,
    net_amount_cents,
    event_count
from {{ ref('int_daily_summary') }}
