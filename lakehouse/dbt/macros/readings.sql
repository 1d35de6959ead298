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
