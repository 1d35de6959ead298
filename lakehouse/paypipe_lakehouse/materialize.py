"""`make lakehouse`: materialize every asset once, in process, against DATABASE_URL, then print the marts."""

import contextlib
import os
import sys

from dagster import DagsterInstance, materialize

from .definitions import ASSETS
from .settings import apply_environment, load_settings
from .store import create_store_engine
from .summary import summarize
from .transform import dbt_resource


def main() -> int:
    try:
        settings = load_settings()
        create_store_engine(settings.database_url).dispose()
    except (FileNotFoundError, ValueError) as error:
        print(f'lakehouse: {error}', file=sys.stderr)
        return 2
    apply_environment(settings)
    # With DAGSTER_HOME set (the scripts set it) the run shows in the Dagster UI's history too.
    instance = DagsterInstance.get() if os.environ.get('DAGSTER_HOME') else DagsterInstance.ephemeral()
    # dagster-dbt echoes dbt's log on stdout; keep stdout for the summary so callers can capture just that.
    with contextlib.redirect_stdout(sys.stderr):
        result = materialize(ASSETS, resources={'dbt': dbt_resource()}, instance=instance, raise_on_error=False)
    if not result.success:
        print('lakehouse: materialization failed; see the log above', file=sys.stderr)
        return 1
    print(summarize(settings.duckdb_path))
    return 0


if __name__ == '__main__':
    sys.exit(main())
