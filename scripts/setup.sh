#!/usr/bin/env bash
# Installs everything paypipe needs, idempotently: Node 24 (when the system's is older) and the npm
# dependencies from the lock file. Later steps (the lakehouse's Python environment) join here.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
node=$(scripts/node.sh)
export PATH="$(dirname "$node"):$PATH"
npm ci --no-audit --no-fund --loglevel=error
