"""A run killed outright (a scheduler's SIGKILL, the OOM killer) takes its `dbt build` child with it.

dagster-dbt runs dbt as a child process and stops it only on an interrupt it sees (SIGINT, or SIGTERM, which
Dagster maps onto it); a parent killed without a word left dbt building the marts on its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar('T')


def _stat(pid: int) -> tuple[int, str] | None:
    """The process's parent id and state, or None once it is gone."""
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name, in parentheses, may hold spaces: the fields after its closing one are fixed.
    state, ppid = stat[stat.rindex(')') + 2 :].split()[:2]
    return int(ppid), state


def _alive(pid: int) -> bool:
    # An orphan is reaped by whoever adopts it; until then a dead one stays a zombie.
    stat = _stat(pid)
    return stat is not None and stat[1] not in ('Z', 'X')


def _dbt_build_child(parent: int) -> int | None:
    for entry in Path('/proc').iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _stat(pid)
        if stat is None or stat[0] != parent:
            continue
        try:
            argv = (entry / 'cmdline').read_bytes().split(b'\0')
        except (FileNotFoundError, ProcessLookupError):
            continue
        if any(arg.endswith(b'dbt') for arg in argv) and b'build' in argv:
            return pid
    return None


def _wait_for(probe: Callable[[], T], seconds: float) -> T:
    deadline = time.monotonic() + seconds
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='the parent-death signal is Linux only')
def test_a_run_killed_outright_takes_its_dbt_build_with_it(lakehouse: Path) -> None:
    run = subprocess.Popen(
        [sys.executable, '-m', 'paypipe_lakehouse.materialize'],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    dbt = None
    try:
        dbt = _wait_for(lambda: _dbt_build_child(run.pid), seconds=180)
        assert dbt is not None, 'the run never started dbt build'
        run.kill()
        run.wait()
        assert _wait_for(lambda: not _alive(dbt), seconds=10), f'dbt build ({dbt}) outlived its run'
    finally:
        run.kill()
        run.wait()
        if dbt is not None and _alive(dbt):
            os.kill(dbt, signal.SIGKILL)
