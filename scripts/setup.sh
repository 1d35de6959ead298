#!/usr/bin/env bash
# Installs paypipe's TypeScript side, idempotently: Node 24 (when the system's is older) and the npm
# dependencies from the lock file. `make setup` runs it, then lakehouse/scripts/setup.sh for the Python side.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
node=$(scripts/node.sh)
export PATH="$(dirname "$node"):$PATH"
npm ci --no-audit --no-fund --loglevel=error
