#!/usr/bin/env bash
# Fills a store the way production does: `paypipe up` in DIR on a free port, `paypipe simulate` sends COUNT
# signed webhooks of the seeded world, then the pipeline drains and stops gracefully.
#   scripts/simulated-store.sh DIR SEED COUNT   → DIR/paypipe.db (and DIR/log.db)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1 seed=$2 count=$3
cd "$root"
export PAYPIPE_DATA_DIR=$dir HOST=127.0.0.1 PAYPIPE_LOG_LEVEL=warn
export PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
unset DATABASE_URL PAYPIPE_LOG_URL
. scripts/demo-env.sh
mkdir -p "$dir"
bin/paypipe up >"$dir/paypipe.log" 2>&1 &
pipeline=$!
trap 'kill "$pipeline" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$pipeline" 2>/dev/null || { cat "$dir/paypipe.log" >&2; exit 1; }
  sleep 0.2
done
bin/paypipe simulate --rate 200 --count "$count" --seed "$seed" --target "http://127.0.0.1:$PORT" >"$dir/simulation.txt"
scripts/wait-drained.sh 120
kill -TERM "$pipeline"
wait "$pipeline"
trap - EXIT
