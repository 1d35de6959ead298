-- Every calendar day from the first to the last event (UTC), so days without payments still appear.
{%- set bounds_sql -%}
    select
        cast(min({{ utc_date('"timestamp"') }}) as varchar) as first_day,
        cast(max({{ utc_date('"timestamp"') }}) as varchar) as last_day
    from {{ source('iceberg', 'payment_events') }}
{%- endset -%}
{%- set first_day, last_day = '2026-01-01', '2026-01-01' -%}
{%- if execute -%}
    {%- set row = run_query(bounds_sql).rows[0] -%}
    {%- if row[0] is not none -%}
        {%- set first_day, last_day = row[0], row[1] -%}
    {%- endif -%}
{%- endif %}

with spine as (
    {{ dbt.date_spine('day', "cast('" ~ first_day ~ "' as date)",
                      dbt.dateadd('day', 1, "cast('" ~ last_day ~ "' as date)")) }}
),

days as (
    select cast(date_day as date) as date_day from spine
)

select
    date_day,
    cast(extract(year from date_day) as integer) as year,
    cast(extract(quarter from date_day) as integer) as quarter,
    cast(extract(month from date_day) as integer) as month,
    {{ month_name('extract(month from date_day)') }} as month_name,
    cast(extract(day from date_day) as integer) as day_of_month,
    {{ iso_day_of_week('date_day') }} as iso_day_of_week,
    {{ day_name(iso_day_of_week('date_day')) }} as day_name,
    {{ iso_day_of_week('date_day') }} >= 6 as is_weekend
from days
