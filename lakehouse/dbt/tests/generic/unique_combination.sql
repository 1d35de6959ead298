{#- The grain test: no two rows share these columns (dbt_utils has one, but `dbt deps` needs the network). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
