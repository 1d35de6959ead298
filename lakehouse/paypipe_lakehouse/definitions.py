"""The Dagster code location: assets, the job that refreshes everything, an hourly schedule and a sensor."""

from collections.abc import Sequence

from dagster import (
    AssetSelection,
    DagsterRun,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    Definitions,
    RunRequest,
    RunsFilter,
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


# A position whose run failed is asked for again this many times (one tick apart) before the sensor leaves it to
# the hourly schedule: enough for a killed copy or a disk hiccup, without a run a minute on a lasting failure.
SENSOR_RETRIES = 3
POSITION_TAG = 'paypipe/store-position'


@sensor(job=lakehouse_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def new_store_rows(context: SensorEvaluationContext) -> RunRequest | SkipReason:
    """Starts a refresh when the store has rows Iceberg has not copied yet: one run per store position, and
    another after each failed one, up to `SENSOR_RETRIES`."""
    positions = store_positions()
    if all(newest <= copied for newest, copied in positions.values()):
        return SkipReason('Iceberg is up to date with the store')
    position = ','.join(f'{name}@{newest}' for name, (newest, _) in sorted(positions.items()))
    runs = context.instance.get_runs(filters=RunsFilter(tags={POSITION_TAG: position}), limit=SENSOR_RETRIES + 1)
    run_key = _run_key(position, runs)
    if run_key is None:
        return SkipReason(_why_not(position, runs))
    context.log.info(f'new store rows: {run_key}')
    return RunRequest(run_key=run_key, tags={POSITION_TAG: position})


def _run_key(position: str, runs: Sequence[DagsterRun]) -> str | None:
    """The key to ask for a run of `position` under, given its runs (newest first), or None if none is due.

    Dagster starts one run per key however often the sensor ticks, so a key is never reused for a retry:
    the first run is keyed by the position, a retry also by the failed run's id. Every tick between a failure
    and its retry's start asks under the same key, so two ticks never start two retries.
    """
    if not runs:
        return position
    last = runs[0]
    if last.status != DagsterRunStatus.FAILURE or len(runs) > SENSOR_RETRIES:
        return None
    return f'{position} retry after {last.run_id}'


def _why_not(position: str, runs: Sequence[DagsterRun]) -> str:
    last = runs[0]
    if last.status == DagsterRunStatus.FAILURE:
        return f'{len(runs)} runs for {position} failed: the hourly schedule tries again'
    if last.is_finished:
        return f'the run for {position} ended {last.status.value.lower()}'
    return f'a run for {position} is {last.status.value.lower()}'


defs = Definitions(
    assets=[*STORE_TABLES, *ASSETS],
    jobs=[lakehouse_job],
    schedules=[hourly],
    sensors=[new_store_rows],
    resources={'dbt': dbt_resource()},
)
