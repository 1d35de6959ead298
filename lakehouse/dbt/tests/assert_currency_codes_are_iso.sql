-- Money is grouped by currency, so a malformed code would split or hide amounts: three upper-case letters.
select event_id, currency
from {{ source('iceberg', 'payment_events') }}
where {{ dbt.length('currency') }} <> 3 or upper(currency) <> currency
