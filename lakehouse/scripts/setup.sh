#!/usr/bin/env bash
# Creates lakehouse/.venv exactly as uv.lock says, with the machine's Python 3.11 (no Python download).
# Idempotent and quick when nothing changed: `uv sync --frozen` only checks the environment then.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
if ! command -v uv >/dev/null 2>&1; then
  python3.11 -m pip install --quiet --disable-pip-version-check uv
fi
uv sync --frozen --quiet --python python3.11
