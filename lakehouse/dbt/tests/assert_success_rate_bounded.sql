-- success_rate = succeeded / attempted payments, so it lies in [0, 1]; more means events were counted.
select date_day, provider, currency
from {{ ref('fct_daily_payments') }}
where success_rate < 0 or success_rate > 1 or succeeded_count + failed_count > attempted_count
