#!/usr/bin/env bash
# Creates lakehouse/.venv exactly as uv.lock says, with the machine's Python 3.11 (no Python download).
# Idempotent and quick when nothing changed: `uv sync --frozen` only checks the environment then.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
# uv runs as a module of the machine's Python: a freshly pip-installed command may not be on PATH yet
# (pyenv's shims, for one, appear only after a rehash).
if ! python3.11 -m uv --version >/dev/null 2>&1; then
  python3.11 -m pip install --quiet --disable-pip-version-check 'uv==0.13.9'
fi
python3.11 -m uv sync --frozen --quiet --python python3.11
