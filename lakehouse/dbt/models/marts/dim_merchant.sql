select
    merchant_id,
    provider_count,
    currency_count,
    attempted_count,
    succeeded_count,
    failed_count,
    {{ ratio('succeeded_count', 'attempted_count') }} as success_rate,
    refunded_payment_count,
    disputed_payment_count,
    disputes_lost_count,
    -- Disputes per succeeded payment, the rate card networks watch.
    {{ ratio('disputed_payment_count', 'succeeded_count') }} as dispute_rate,
    first_payment_at,
    last_payment_at
from {{ ref('int_merchant_metrics') }}
