{#-
  A payment's captured or refunded total, read as the store's totals read it (src/storage/totals.ts), over
  rows grouped by payment that each hold one report at its largest: reports naming their capture or refund
  (`id_column` not null) add up; reports without an id are running totals, so only the largest counts; the
  larger of the two readings is the total.
-#}
{% macro named_or_running_total(id_column, amount_column='amount_cents') -%}
    greatest(
        sum(case when {{ id_column }} is not null then {{ amount_column }} else 0 end),
        max(case when {{ id_column }} is null then {{ amount_column }} else 0 end)
    )
{%- endmacro %}

{#-
  Each capture as the store's totals count it (src/storage/totals.ts), from `events`: a relation with provider,
  payment_id, event_id, event_type, amount_cents, event_at and the report's `metadata.capture_id` as
  capture_id. One row per payment and capture id (a null id: the running totals of unnamed success reports)
  with its largest success report (payment.succeeded, payment.captured) since the capture's latest rejection:
  a payment.failed naming the capture (Adyen's CAPTURE_FAILED: the scheme rejected a capture Adyen had
  accepted) means it moved no money, until Adyen captures it again ('Transaction Recaptured'). Reports are
  read by their own time, then event id, whatever order they were stored in. A payment with no row here
  has not succeeded.
-#}
{% macro counted_captures(events) -%}
    select provider, payment_id, capture_id, max(amount_cents) as amount_cents
    from (
        select
            reports.*,
            max(case when event_type = 'payment.failed' and capture_id is not null then position else 0 end)
                over (partition by provider, payment_id, capture_id) as rejected_at
        from (
            select
                provider,
                payment_id,
                capture_id,
                event_type,
                amount_cents,
                row_number() over (partition by provider, payment_id, capture_id order by event_at, event_id)
                    as position
            from {{ events }}
            where event_type in ('payment.succeeded', 'payment.captured', 'payment.failed')
        ) as reports
    ) as ordered
    where event_type in ('payment.succeeded', 'payment.captured') and position > rejected_at
    group by provider, payment_id, capture_id
{%- endmacro %}

{#-
  Each refund as the store's totals count it (src/storage/totals.ts), from `events`: a relation with provider,
  payment_id, event_id, event_type, status, amount_cents and the report's `metadata.refund_id` as refund_id.
  One row per payment and refund id (a null id: the cumulative reports) with its largest report that returned
  the money (refund.succeeded, or a refund.created already refunded). A named refund with any failure report
  (refund.failed, or a refund.created already failed or canceled) returned nothing, in whatever order the
  reports came, so it has no row. Cumulative reports do not say which refunds they include, so a failure is
  never taken out of them: they stay as they are.
-#}
{% macro counted_refunds(events) -%}
    select provider, payment_id, refund_id, amount_cents
    from (
        select
            provider,
            payment_id,
            refund_id,
            max(
                case
                    when event_type = 'refund.succeeded' or (event_type = 'refund.created' and status = 'refunded')
                        then amount_cents
                end
            ) as amount_cents,
            max(
                case
                    when event_type = 'refund.failed'
                        or (event_type = 'refund.created' and status in ('failed', 'canceled'))
                        then 1
                    else 0
                end
            ) as has_failure
        from {{ events }}
        where event_type like 'refund.%'
        group by provider, payment_id, refund_id
    ) as reports
    where amount_cents is not null and (refund_id is null or has_failure = 0)
{%- endmacro %}

{#-
  The currency of each payment in `events` (provider, payment_id, event_id, event_type, amount_cents,
  currency, event_at), as the store's totals take it (`capturedIn` in src/storage/totals.ts): the capture's,
  that is the currency of the largest payment.succeeded/payment.captured report (the earliest such, by time
  then event id, on a tie), else the latest event's. A refund let in before the capture (unchecked then) may
  be in another currency.
-#}
{% macro payment_currency(events) -%}
    select provider, payment_id, currency
    from (
        select
            provider,
            payment_id,
            currency,
            row_number() over (
                partition by provider, payment_id
                order by
                    case when event_type in ('payment.succeeded', 'payment.captured') then 0 else 1 end,
                    case when event_type in ('payment.succeeded', 'payment.captured') then amount_cents end desc,
                    case when event_type in ('payment.succeeded', 'payment.captured') then event_at end,
                    case when event_type in ('payment.succeeded', 'payment.captured') then event_id end,
                    event_at desc,
                    event_id desc
            ) as nth
        from {{ events }}
    ) as ranked
    where nth = 1
{%- endmacro %}

{#-
  Each payment's dispute event that decided last, from `events` (provider, payment_id, event_id, event_type,
  amount_cents, event_at): the latest dispute.* event by its own time, the larger event id on a tie (the order
  payment_currency reads "latest" in). A dispute won can still be lost (Adyen's CHARGEBACK_REVERSED, then
  SECOND_CHARGEBACK or PREARBITRATION_LOST) or reopened, so an earlier outcome never outweighs a later one.
  disputed_amount_cents is what that event leaves under dispute: its amount when open or lost, none when won.
-#}
{% macro latest_dispute(events) -%}
    select
        provider,
        payment_id,
        case
            when event_type = 'dispute.won' then 'won'
            when event_type = 'dispute.lost' then 'lost'
            else 'open'
        end as dispute_status,
        case when event_type = 'dispute.won' then 0 else amount_cents end as disputed_amount_cents
    from (
        select
            provider,
            payment_id,
            event_type,
            amount_cents,
            row_number() over (
                partition by provider, payment_id order by event_at desc nulls last, event_id desc
            ) as recency
        from {{ events }}
        where event_type like 'dispute.%'
    ) as disputes
    where recency = 1
{%- endmacro %}
