#!/usr/bin/env bash
# make demo: simulated webhooks from all four providers through the whole pipeline on the embedded
# default (SQLite log and store, in-process workflows and scoring), into the Iceberg lakehouse and the dbt
# marts, then a readable summary. Everything lands in a fresh data folder, .paypipe/demo by default.
#   DEMO_RATE (webhooks/s, default 100), DEMO_DURATION (default 2m), DEMO_PORT (default 8000),
#   DEMO_SEED (default 42), DEMO_DATA_DIR (default .paypipe/demo; emptied first).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# Only DEMO_* choose where the demo runs: a shell that sourced .env holds the real data folder, store,
# inference service and lakehouse, which the demo must neither empty nor write into.
export PAYPIPE_DATA_DIR=${DEMO_DATA_DIR:-.paypipe/demo}
export PORT=${DEMO_PORT:-8000} HOST=127.0.0.1 PAYPIPE_LOG_LEVEL=${PAYPIPE_LOG_LEVEL:-warn}
unset DATABASE_URL PAYPIPE_LOG_URL INFERENCE_URL LAKEHOUSE_DUCKDB_PATH DAGSTER_HOME
unset "${!PYICEBERG_CATALOG__@}"
. scripts/demo-env.sh

say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

# Something already on the port (the user's own paypipe up, say) would answer the readiness check below and
# get the demo's webhooks, while the demo's paypipe up could not listen.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "paypipe demo: port $PORT is already in use; set DEMO_PORT to a free one" >&2
  exit 1
fi

rm -rf "$PAYPIPE_DATA_DIR"
mkdir -p "$PAYPIPE_DATA_DIR"
say "Starting paypipe up on 127.0.0.1:$PORT (data in $PAYPIPE_DATA_DIR)"
bin/paypipe up >"$PAYPIPE_DATA_DIR/paypipe.log" 2>&1 &
pipeline=$!
trap 'kill "$pipeline" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$pipeline" 2>/dev/null || { cat "$PAYPIPE_DATA_DIR/paypipe.log" >&2; exit 1; }
  sleep 0.2
done

say "Simulating ${DEMO_DURATION:-2m} of webhooks at ${DEMO_RATE:-100}/s from Stripe, Square, Adyen and Braintree"
bin/paypipe simulate --rate "${DEMO_RATE:-100}" --duration "${DEMO_DURATION:-2m}" --seed "${DEMO_SEED:-42}" \
  --target "http://127.0.0.1:$PORT" >"$PAYPIPE_DATA_DIR/simulation.txt" || true

say "Waiting for the pipeline to drain"
scripts/wait-drained.sh 120

say "Stopping the pipeline gracefully"
kill -TERM "$pipeline"
wait "$pipeline" || true
trap - EXIT

say "Lakehouse: store → Iceberg (data.payment_events, data.payment_events_quarantine) → dbt marts on DuckDB"
lakehouse/scripts/materialize.sh >"$PAYPIPE_DATA_DIR/lakehouse.txt"

say "Summary"
echo "-- What the simulator sent"
cat "$PAYPIPE_DATA_DIR/simulation.txt"
echo
echo "-- What paypipe did with it"
bin/paypipe status
echo
echo "-- What the lakehouse holds"
cat "$PAYPIPE_DATA_DIR/lakehouse.txt"
"$(scripts/node.sh)" --disable-warning=ExperimentalWarning scripts/demo-chart.ts "$PAYPIPE_DATA_DIR/summary.svg"
echo
echo "The same as a picture: $PAYPIPE_DATA_DIR/summary.svg"
echo "Data, logs and the warehouse are in $PAYPIPE_DATA_DIR (open the marts with: duckdb $PAYPIPE_DATA_DIR/warehouse.duckdb)."
