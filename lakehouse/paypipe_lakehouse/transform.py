"""The dbt project as Dagster assets: Iceberg sources → intermediate → marts, with dbt tests as asset checks."""

import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from .dbt_child import kill_dbt_with_its_run
from .settings import apply_environment, load_settings

DBT_DIR = Path(__file__).resolve().parents[1] / 'dbt'

DBT_EXECUTABLE = Path(sys.executable).parent / 'dbt'

dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)


def _newest_source_change() -> float:
    files = [DBT_DIR / 'dbt_project.yml', DBT_DIR / 'profiles.yml']
    for folder in ('models', 'macros', 'tests'):
        files.extend(path for path in (DBT_DIR / folder).rglob('*') if path.is_file())
    return max(path.stat().st_mtime for path in files)


def ensure_manifest() -> Path:
    """Parses the dbt project when its manifest is missing or older than the project's files (a second or so)."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_change():
        apply_environment(load_settings())
        dbt_resource().cli(['parse'], target_path=dbt_project.target_path).wait()
    return manifest


def dbt_resource() -> DbtCliResource:
    # A run killed outright must not leave its dbt building the marts on its own (dbt_child.py).
    kill_dbt_with_its_run()
    # The dbt beside this interpreter: the lakehouse venv is not necessarily on PATH.
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_DIR), dbt_executable=str(DBT_EXECUTABLE))


class PaypipeTranslator(DagsterDbtTranslator):
    """Groups models by layer (their folder), so the UI shows store → iceberg → intermediate → marts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get('fqn', [])
        if dbt_resource_props.get('resource_type') == 'model' and len(fqn) > 2:
            return str(fqn[1])
        return super().get_group_name(dbt_resource_props)


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, dagster_dbt_translator=PaypipeTranslator())
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """`dbt build`: every model, then its tests, in dependency order.

    dagster-dbt gives each run its own target folder (about 1 MB of compiled SQL and artifacts), and never
    removes it: an hourly schedule would fill the disk. A successful run's folder is removed once its events
    are read; a failed run's stays, with its dbt.log, for whoever looks into the failure.
    """
    apply_environment(load_settings())
    invocation = dbt.cli(['build'], context=context)
    yield from invocation.stream()
    shutil.rmtree(invocation.target_path, ignore_errors=True)
