"""The Dagster assets that copy the store into Iceberg (`data.payment_events`, `data.payment_events_quarantine`)."""

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, AssetSpec, MaterializeResult, asset

from .iceberg import open_catalog, watermark
from .settings import NAMESPACE, apply_environment, load_settings
from .store import create_store_engine, max_seq
from .sync import sync_table
from .tables import TABLES, TableSpec


def store_key(spec: TableSpec) -> AssetKey:
    return AssetKey(['store', spec.name])


# The store tables are written by the TypeScript pipeline, not by Dagster: declared so lineage starts there.
STORE_TABLES = [
    AssetSpec(
        store_key(spec),
        group_name='store',
        description=f'The pipeline store table `{spec.name}` (DATABASE_URL: SQLite or PostgreSQL).',
        kinds={'sql'},
    )
    for spec in TABLES
]


def _ingest_asset(spec: TableSpec) -> AssetsDefinition:
    @asset(
        name=spec.name,
        group_name='iceberg',
        deps=[store_key(spec)],
        kinds={'iceberg', 'python'},
        description=(
            f'Iceberg `{NAMESPACE}.{spec.name}`, partitioned by day of `{spec.partition_column}`: rows past the '
            f'last copied `ingested_seq`, upserted by `{spec.key}`.'
        ),
    )
    def _copy(context: AssetExecutionContext) -> MaterializeResult:
        settings = load_settings()
        apply_environment(settings)
        result = sync_table(
            open_catalog(),
            create_store_engine(settings.database_url),
            spec,
            settings.batch_rows,
            settings.lookback_rows,
            settings.snapshot_retention_hours,
            context.log,
            settings.compact_files,
        )
        context.log.info(f'{spec.name}: {result}')
        return MaterializeResult(
            metadata={
                'rows_read': result.rows_read,
                'rows_inserted': result.rows_inserted,
                'rows_updated': result.rows_updated,
                'batches': result.batches,
                'ingested_seq': result.watermark,
                'duplicates_removed': result.duplicates_removed,
            }
        )

    return _copy


INGEST_ASSETS = [_ingest_asset(spec) for spec in TABLES]


def store_positions() -> dict[str, tuple[int, int]]:
    """Per table, the store's newest `ingested_seq` and the last one copied to Iceberg; used by the sensor."""
    settings = load_settings()
    apply_environment(settings)
    catalog = open_catalog()
    engine = create_store_engine(settings.database_url)
    positions: dict[str, tuple[int, int]] = {}
    for spec in TABLES:
        newest = max_seq(engine, spec.name)
        identifier = (NAMESPACE, spec.name)
        copied = watermark(catalog.load_table(identifier)) if catalog.table_exists(identifier) else 0
        positions[spec.name] = (newest, copied)
    return positions
