-- Per customer: how their payments went, and the latest churn score the pipeline gave them.
with latest_churn as (
    select customer_id, churn_score
    from (
        select
            customer_id,
            churn_score,
            row_number() over (partition by customer_id order by "timestamp" desc, event_id desc) as recency
        from {{ source('iceberg', 'payment_events') }}
        where customer_id is not null and churn_score is not null
    ) as ranked
    where recency = 1
),

payments as (
    select
        customer_id,
        sum(case when is_attempted then 1 else 0 end) as attempted_count,
        sum(case when outcome = 'succeeded' then 1 else 0 end) as succeeded_count,
        sum(case when outcome = 'failed' then 1 else 0 end) as failed_count,
        sum(case when refund_count > 0 then 1 else 0 end) as refunded_payment_count,
        sum(case when is_disputed then 1 else 0 end) as disputed_payment_count,
        count(distinct currency) as currency_count,
        min(payment_at) as first_payment_at,
        max(payment_at) as last_payment_at,
        max(fraud_score) as max_fraud_score
    from {{ ref('int_payments') }}
    where customer_id is not null
    group by customer_id
)

select
    payments.*,
    latest_churn.churn_score as latest_churn_score
from payments
left join latest_churn on payments.customer_id = latest_churn.customer_id
