#!/usr/bin/env bash
# `make models`: training tables from fixed training seeds (Node: the calendar world, replayed through the
# providers' own code, features from the one feature module), then LightGBM with fixed seeds in the
# lakehouse's Python environment, exported as JSON to models/ with a parity fixture. A few minutes on 2 cores.
# Evaluation seeds must never be among SEEDS.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
SEEDS=(101 102 103) # TRAINING_SEEDS in src/inference/training/world-tables.ts
CUSTOMERS=1500
tables="$(mktemp -d)"
trap 'rm -rf "$tables"' EXIT
"$root/lakehouse/scripts/setup.sh"
pids=()
for seed in "${SEEDS[@]}"; do
  "$root/bin/paypipe" models tables --seed "$seed" --customers "$CUSTOMERS" --out "$tables/seed-$seed" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
cd "$root/lakehouse"
.venv/bin/python -m paypipe_lakehouse.models.train "$tables" "$root/models"
