#!/usr/bin/env bash
# Runs the lakehouse's pytest suite. pytest exits non-zero on a failure and with 5 when no test ran.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/setup.sh"
cd "$here"
exec .venv/bin/python -m pytest "$@"
