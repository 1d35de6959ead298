-- Payments whose events are in more than one currency. The pipeline lets a refund of a payment not captured
-- yet through unchecked (its capture may be in flight), so a refund in another currency can be stored before
-- the capture. A warning, not an error, so that it never stops the marts: they report such a payment in its
-- capture's currency (payment_currency, as the store's totals do) and count its refunds as the totals do,
-- whatever their currency, so its money mixes currencies and is worth a look.
{{ config(severity='warn') }}

select provider, payment_id
from {{ source('iceberg', 'payment_events') }}
group by provider, payment_id
having count(distinct currency) > 1
