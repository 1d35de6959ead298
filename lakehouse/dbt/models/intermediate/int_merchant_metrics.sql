-- Per merchant: volumes, outcomes, refunds and disputes (counts; money stays per currency in the facts).
select
    merchant_id,
    count(distinct provider) as provider_count,
    count(distinct currency) as currency_count,
    sum(case when is_attempted then 1 else 0 end) as attempted_count,
    sum(case when outcome = 'succeeded' then 1 else 0 end) as succeeded_count,
    sum(case when outcome = 'failed' then 1 else 0 end) as failed_count,
    sum(case when refund_count > 0 then 1 else 0 end) as refunded_payment_count,
    sum(case when is_disputed then 1 else 0 end) as disputed_payment_count,
    sum(case when dispute_status = 'lost' then 1 else 0 end) as disputes_lost_count,
    min(payment_at) as first_payment_at,
    max(payment_at) as last_payment_at
from {{ ref('int_payments') }}
where merchant_id is not null
group by merchant_id
