"""The Dagster code location: assets, the job that refreshes everything, an hourly schedule and a sensor."""

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    sensor,
)

from .ingest import INGEST_ASSETS, STORE_TABLES, store_positions
from .transform import dbt_models, dbt_resource

ASSETS = [*INGEST_ASSETS, dbt_models]

lakehouse_job = define_asset_job(
    'lakehouse_refresh',
    selection=AssetSelection.assets(*ASSETS),
    description='Copy new store rows into Iceberg, then rebuild and test the dbt models.',
)

hourly = ScheduleDefinition(
    name='lakehouse_hourly',
    job=lakehouse_job,
    cron_schedule='0 * * * *',
    default_status=DefaultScheduleStatus.RUNNING,
)


@sensor(job=lakehouse_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def new_store_rows(context: SensorEvaluationContext) -> RunRequest | SkipReason:
    """Starts a refresh when the store has rows Iceberg has not copied yet (one run per store position)."""
    positions = store_positions()
    if all(newest <= copied for newest, copied in positions.values()):
        return SkipReason('Iceberg is up to date with the store')
    # Keyed by the store's position, so one batch of new rows starts one run however often the sensor ticks.
    run_key = ','.join(f'{name}@{newest}' for name, (newest, _) in sorted(positions.items()))
    context.log.info(f'new store rows: {run_key}')
    return RunRequest(run_key=run_key)


defs = Definitions(
    assets=[*STORE_TABLES, *ASSETS],
    jobs=[lakehouse_job],
    schedules=[hourly],
    sensors=[new_store_rows],
    resources={'dbt': dbt_resource()},
)
