-- A payment's events share one currency; otherwise per-currency money would silently mix.
select provider, payment_id
from {{ source('iceberg', 'payment_events') }}
group by provider, payment_id
having count(distinct currency) > 1
