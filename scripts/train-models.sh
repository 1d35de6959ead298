#!/usr/bin/env bash
# `make models`: training tables from fixed training seeds (Node: the calendar world, replayed through the
# providers' own code, features from the one feature module), then LightGBM with fixed seeds in the
# lakehouse's Python environment, exported as JSON to models/ with a parity fixture. A few minutes on 2 cores.
# The seeds and the world size come from src/inference/training/world-tables.ts, which `paypipe models
# evaluate` also reads to refuse evaluating on a training seed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node="$("$root/scripts/node.sh")"
read -r CUSTOMERS SEEDS_LINE < <("$node" --disable-warning=ExperimentalWarning --input-type=module -e "
import { TRAINING_CUSTOMERS, TRAINING_SEEDS } from '$root/src/inference/training/world-tables.ts';
console.log(TRAINING_CUSTOMERS, TRAINING_SEEDS.join(' '));")
read -r -a SEEDS <<<"${SEEDS_LINE:-}"
if [ "${#SEEDS[@]}" -eq 0 ]; then echo "train-models: could not read the training seeds" >&2; exit 1; fi
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
