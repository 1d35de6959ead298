"""Where the lakehouse reads and writes: the embedded defaults, what overrides them, and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from paypipe_lakehouse import materialize
from paypipe_lakehouse.settings import apply_environment, load_settings

PREFIX = 'PYICEBERG_CATALOG__DEFAULT__'


def test_the_embedded_default_is_a_sql_catalog_and_a_warehouse_folder_in_the_data_dir(tmp_path: Path) -> None:
    env = {'PAYPIPE_DATA_DIR': str(tmp_path / 'data')}
    settings = load_settings(env)
    apply_environment(settings, env)
    iceberg = tmp_path / 'data' / 'iceberg'
    assert {name: value for name, value in env.items() if name.startswith(PREFIX)} == {
        f'{PREFIX}TYPE': 'sql',
        f'{PREFIX}URI': f'sqlite:///{iceberg / "catalog.db"}',
        f'{PREFIX}WAREHOUSE': iceberg.as_uri(),
    }
    assert env['LAKEHOUSE_DUCKDB_PATH'] == str(tmp_path / 'data' / 'warehouse.duckdb')
    assert settings.database_url == f'sqlite:{tmp_path / "data" / "paypipe.db"}'
    # An hour of Iceberg history: a commit copies every snapshot kept (see README, "How the copy stays exact").
    assert settings.snapshot_retention_hours == 1
    assert load_settings(env | {'LAKEHOUSE_SNAPSHOT_RETENTION_HOURS': '24'}).snapshot_retention_hours == 24
    assert settings.compact_files == 16
    assert load_settings(env | {'LAKEHOUSE_COMPACT_FILES': '64'}).compact_files == 64


def test_a_catalog_set_in_the_environment_and_another_warehouse_file_are_kept(tmp_path: Path) -> None:
    env = {
        'PAYPIPE_DATA_DIR': str(tmp_path / 'data'),
        f'{PREFIX}TYPE': 'rest',
        f'{PREFIX}URI': 'http://polaris:8181/api/catalog',
        'LAKEHOUSE_DUCKDB_PATH': str(tmp_path / 'elsewhere' / 'marts.duckdb'),
    }
    apply_environment(load_settings(env), env)
    assert {name: value for name, value in env.items() if name.startswith(PREFIX)} == {
        f'{PREFIX}TYPE': 'rest',
        f'{PREFIX}URI': 'http://polaris:8181/api/catalog',
    }
    assert env['LAKEHOUSE_DUCKDB_PATH'] == str(tmp_path / 'elsewhere' / 'marts.duckdb')
    assert (tmp_path / 'elsewhere').is_dir()


@pytest.mark.parametrize(
    ('name', 'value', 'message'),
    [
        ('LAKEHOUSE_BATCH_ROWS', 'many', "LAKEHOUSE_BATCH_ROWS: expected an integer, got 'many'"),
        ('LAKEHOUSE_LOOKBACK_ROWS', '-1', 'LAKEHOUSE_LOOKBACK_ROWS: expected at least 0, got -1'),
        ('LAKEHOUSE_SNAPSHOT_RETENTION_HOURS', '0', 'LAKEHOUSE_SNAPSHOT_RETENTION_HOURS: expected at least 1, got 0'),
        (
            'LAKEHOUSE_SNAPSHOT_RETENTION_HOURS',
            '7d',
            "LAKEHOUSE_SNAPSHOT_RETENTION_HOURS: expected an integer, got '7d'",
        ),
        # Past about 2,000 years the expiry's cutoff is before year 1: every copy would fail after committing.
        (
            'LAKEHOUSE_SNAPSHOT_RETENTION_HOURS',
            '999999999',
            'LAKEHOUSE_SNAPSHOT_RETENTION_HOURS: expected at most 876000, got 999999999',
        ),
        ('LAKEHOUSE_COMPACT_FILES', '0', 'LAKEHOUSE_COMPACT_FILES: expected at least 1, got 0'),
        ('DATABASE_URL', 'mysql://db/paypipe', 'DATABASE_URL: expected sqlite:PATH or postgres://'),
    ],
)
def test_make_lakehouse_names_a_bad_setting_and_exits_2_without_a_traceback(
    lakehouse: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    message: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert materialize.main() == 2
    err = capsys.readouterr().err
    assert err.startswith(f'lakehouse: {message}')
    assert 'Traceback' not in err
