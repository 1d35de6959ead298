#!/usr/bin/env bash
# `make lakehouse-ui`: the Dagster UI (and its daemon, which runs the schedule and the sensor) on :3000.
set -euo pipefail
lakehouse="$(cd "$(dirname "$0")/.." && pwd)"
"$lakehouse/scripts/setup.sh"
cd "$lakehouse/.."
DAGSTER_HOME="${DAGSTER_HOME:-$(realpath -m "${PAYPIPE_DATA_DIR:-.paypipe}/dagster")}"
export DAGSTER_HOME
mkdir -p "$DAGSTER_HOME"
exec "$lakehouse/.venv/bin/dagster" dev -m paypipe_lakehouse.definitions \
  --host "${LAKEHOUSE_UI_HOST:-127.0.0.1}" --port "${LAKEHOUSE_UI_PORT:-3000}"
