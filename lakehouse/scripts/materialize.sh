#!/usr/bin/env bash
# `make lakehouse`: copy the store named by DATABASE_URL into Iceberg, build and test the dbt marts once,
# then print a summary. Paths are relative to the repository root, like the rest of paypipe.
set -euo pipefail
lakehouse="$(cd "$(dirname "$0")/.." && pwd)"
"$lakehouse/scripts/setup.sh"
cd "$lakehouse/.."
DAGSTER_HOME="${DAGSTER_HOME:-$(realpath -m "${PAYPIPE_DATA_DIR:-.paypipe}/dagster")}"
export DAGSTER_HOME
mkdir -p "$DAGSTER_HOME"
exec "$lakehouse/.venv/bin/python" -m paypipe_lakehouse.materialize
