"""Each test gets its own data folder (store, Iceberg catalog and warehouse) under pytest's tmp_path.

Stores come from `simulated_store.fill_store`; to run against stores the TypeScript simulator filled, set
`LAKEHOUSE_TEST_STORE` (and `LAKEHOUSE_TEST_STORE_2` for the second, different store) to their files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulated_store import fill_store


def isolate(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    """Points every lakehouse setting at `data_dir`, whatever the developer's shell has set."""
    for name in list(os.environ):
        if name.startswith(('PYICEBERG_', 'LAKEHOUSE_', 'PAYPIPE_')) or name == 'DATABASE_URL':
            monkeypatch.delenv(name)
    monkeypatch.setenv('PAYPIPE_DATA_DIR', str(data_dir))
    monkeypatch.setenv('DATABASE_URL', f'sqlite:{data_dir / "paypipe.db"}')


def make_store(data_dir: Path, variant: str, seed: int, payments: int) -> Path:
    """Copies the store named by LAKEHOUSE_TEST_STORE[_2] if set, else simulates one."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = data_dir / 'paypipe.db'
    given = os.environ.get('LAKEHOUSE_TEST_STORE' + ('' if variant == 'a' else '_2'))
    if given:
        shutil.copyfile(given, store)
        return store
    return fill_store(store, seed=seed, payments=payments)


@pytest.fixture
def lakehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder holding a small simulated store, with the environment pointing at it."""
    data_dir = tmp_path / 'data'
    make_store(data_dir, 'a', seed=7, payments=150)
    isolate(monkeypatch, data_dir)
    yield data_dir


@pytest.fixture(scope='module')
def module_env() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch
