select
    customer_id,
    attempted_count,
    succeeded_count,
    failed_count,
    {{ ratio('succeeded_count', 'attempted_count') }} as success_rate,
    refunded_payment_count,
    disputed_payment_count,
    currency_count,
    first_payment_at,
    last_payment_at,
    max_fraud_score,
    latest_churn_score,
    case
        when max_fraud_score is null then 'unscored'
        when max_fraud_score >= 0.8 then 'high'
        when max_fraud_score >= 0.5 then 'medium'
        else 'low'
    end as fraud_risk_tier
from {{ ref('int_customer_metrics') }}
