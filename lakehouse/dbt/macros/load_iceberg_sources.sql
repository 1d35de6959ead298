{#-
  Run once at the start of every dbt invocation (on-run-start). On DuckDB, dbt-duckdb's iceberg plugin copies
  a source table out of Iceberg (through PyIceberg) whenever a node references it; with two threads those
  copies collide and each node could see a different snapshot. So the copy happens here, once, serially, and
  the sources say `save_mode: ignore` so later references reuse it. Other adapters read Iceberg in place.
-#}
{% macro load_iceberg_sources() %}
  {{ return(adapter.dispatch('load_iceberg_sources', 'paypipe')()) }}
{% endmacro %}

{% macro default__load_iceberg_sources() %}
  select 1
{% endmacro %}

{% macro duckdb__load_iceberg_sources() %}
  {% if execute %}
    {% for node in graph.sources.values() if node.source_name == 'iceberg' %}
      {% do run_query('drop table if exists ' ~ node.schema ~ '.' ~ node.identifier) %}
      {% do source(node.source_name, node.name) %}
    {% endfor %}
  {% endif %}
  select 1
{% endmacro %}
