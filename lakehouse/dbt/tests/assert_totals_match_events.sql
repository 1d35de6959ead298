-- Nothing lost or double counted on the way to the marts: per provider and currency, the events and the
-- payments in the marts add up to what payment_events holds. (Refunded money is not a plain sum of refund
-- events, since one refund is reported more than once; assert_daily_payments_reconcile_with_events checks it.)
-- A payment's events count in the payment's currency, its capture's (payment_currency), as in the marts.
with source_events as (
    select provider, payment_id, event_id, event_type, amount_cents, currency, "timestamp" as event_at
    from {{ source('iceberg', 'payment_events') }}
),

currencies as (
    {{ payment_currency('source_events') }}
),

source_totals as (
    select
        source_events.provider,
        currencies.currency,
        count(*) as event_count,
        count(distinct source_events.payment_id) as payment_count
    from source_events
    left join currencies
        on currencies.provider = source_events.provider
        and currencies.payment_id = source_events.payment_id
    group by source_events.provider, currencies.currency
),

daily_totals as (
    select provider, currency, sum(event_count) as event_count
    from {{ ref('fct_daily_payments') }}
    group by provider, currency
),

payment_totals as (
    select provider, currency, count(*) as payment_count
    from {{ ref('fct_payments') }}
    group by provider, currency
)

select source_totals.provider, source_totals.currency
from source_totals
left join daily_totals
    on source_totals.provider = daily_totals.provider and source_totals.currency = daily_totals.currency
left join payment_totals
    on source_totals.provider = payment_totals.provider and source_totals.currency = payment_totals.currency
where source_totals.event_count is distinct from daily_totals.event_count
    or source_totals.payment_count is distinct from payment_totals.payment_count
