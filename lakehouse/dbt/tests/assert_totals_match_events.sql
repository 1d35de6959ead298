-- Nothing lost or double counted on the way to the marts: per provider and currency, the events, the
-- payments and the refunded money in the marts add up to what payment_events holds.
with source_totals as (
    select
        provider,
        currency,
        count(*) as event_count,
        count(distinct payment_id) as payment_count,
        sum(case when event_type = 'refund.succeeded' then amount_cents else 0 end) as refunded_amount_cents
    from {{ source('iceberg', 'payment_events') }}
    group by provider, currency
),

daily_totals as (
    select provider, currency, sum(event_count) as event_count, sum(refunded_amount_cents) as refunded_amount_cents
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
    or source_totals.refunded_amount_cents is distinct from daily_totals.refunded_amount_cents
    or source_totals.payment_count is distinct from payment_totals.payment_count
