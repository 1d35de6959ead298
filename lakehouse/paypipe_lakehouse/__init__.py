"""paypipe's lakehouse: Dagster assets copy the store into Iceberg, dbt builds the marts (DESIGN.md §6)."""
