"""dbt goes with the run that started it, however the run ends.

dagster-dbt runs dbt as a child process (`subprocess.Popen` in `dagster_dbt.core.dbt_cli_invocation`) and stops
it on an interrupt it sees: SIGINT, or SIGTERM, which Dagster maps onto it. A run killed outright (a scheduler's
SIGKILL, the OOM killer) sees nothing, and its `dbt build` went on rebuilding the marts with no run to report
to. On Linux the kernel can signal a child when the thread that started it ends (`PR_SET_PDEATHSIG`), set by
the child between its fork and its exec; dagster-dbt has no hook for that, so its module is given a `Popen`
that asks for it. The thread that runs a dbt asset is the one that waits for dbt to finish, so dbt is never
cut short by it. Without `prctl` (macOS) dbt starts as before.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import types
from collections.abc import Callable
from typing import Any

import dagster_dbt.core.dbt_cli_invocation as dbt_cli_invocation

PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith('linux'):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Looked up before any fork: the child, between fork and exec, only calls it.
_PRCTL = _prctl()


def _killed_with(parent: int) -> Callable[[], None]:
    """What the child runs before it execs dbt: a SIGKILL when the parent's thread ends, and one now if the
    parent died between the fork and this call (the child then belongs to another process already)."""

    def arm() -> None:
        assert _PRCTL is not None
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return arm


class _PopenKilledWithParent(subprocess.Popen):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault('preexec_fn', _killed_with(os.getpid()))
        super().__init__(*args, **kwargs)


def kill_dbt_with_its_run() -> None:
    """From now on, every dbt that dagster-dbt starts in this process is killed when the thread that started it
    ends. Idempotent."""
    if _PRCTL is None or dbt_cli_invocation.subprocess.Popen is _PopenKilledWithParent:
        return
    # dagster-dbt's own view of the subprocess module, so no other code's children change.
    shim = types.ModuleType('subprocess')
    shim.__dict__.update(vars(subprocess))
    shim.Popen = _PopenKilledWithParent
    dbt_cli_invocation.subprocess = shim
