#!/usr/bin/env bash
# Lints the lakehouse's Python (ruff), then runs its pytest suite. pytest exits non-zero on a failure and
# with 5 when no test ran.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh"
cd "$here"
.venv/bin/ruff check --quiet paypipe_lakehouse tests
.venv/bin/ruff format --check --quiet paypipe_lakehouse tests
exec .venv/bin/python -m pytest "$@"
