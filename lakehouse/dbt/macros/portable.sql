{#- The few expressions DuckDB and Trino spell differently, dispatched per adapter (see README, "Trino"). -#}

{#- The UTC calendar day of a timestamptz, whatever the session time zone. -#}
{% macro utc_date(column) -%}
  {{ return(adapter.dispatch('utc_date', 'paypipe')(column)) }}
{%- endmacro %}

{% macro default__utc_date(column) -%}
  cast(timezone('UTC', {{ column }}) as date)
{%- endmacro %}

{% macro trino__utc_date(column) -%}
  cast({{ column }} at time zone 'UTC' as date)
{%- endmacro %}

{#- ISO day of the week: Monday = 1 … Sunday = 7. -#}
{% macro iso_day_of_week(column) -%}
  {{ return(adapter.dispatch('iso_day_of_week', 'paypipe')(column)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(column) -%}
  cast(extract(isodow from {{ column }}) as integer)
{%- endmacro %}

{% macro trino__iso_day_of_week(column) -%}
  day_of_week({{ column }})
{%- endmacro %}

{#- Names spelled out in SQL rather than with an engine's date formatting, so they read the same everywhere. -#}
{% macro day_name(iso_day) -%}
  case {{ iso_day }}
    {%- for name in ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] %}
    when {{ loop.index }} then '{{ name }}'
    {%- endfor %}
  end
{%- endmacro %}

{% macro month_name(month) -%}
  case {{ month }}
    {%- for name in ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
                     'October', 'November', 'December'] %}
    when {{ loop.index }} then '{{ name }}'
    {%- endfor %}
  end
{%- endmacro %}

{#- A ratio as a floating-point number, null when the denominator is zero. -#}
{% macro ratio(numerator, denominator) -%}
  cast({{ numerator }} as {{ dbt.type_float() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}

{#- A top-level string field of a JSON text column (the events' `metadata`), null when absent. -#}
{% macro json_text(column, key) -%}
  {{ return(adapter.dispatch('json_text', 'paypipe')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
  json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro trino__json_text(column, key) -%}
  json_extract_scalar({{ column }}, '$.{{ key }}')
{%- endmacro %}
