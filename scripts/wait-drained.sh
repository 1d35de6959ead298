#!/usr/bin/env bash
# Waits until every consumer group has consumed and committed everything (lag 0 everywhere), for at most
# $1 seconds (default 60). A stage commits only after its outputs are durable, so zero lag everywhere
# means every accepted webhook has reached the store or the quarantine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deadline=$((SECONDS + ${1:-60}))
while :; do
  lag=$("$root/bin/paypipe" status --json | "$("$root/scripts/node.sh")" -e '
    let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
      const status = JSON.parse(text);
      console.log(status.log.groups.reduce((sum, group) => sum + group.lag, 0));
    });')
  [ "$lag" = 0 ] && exit 0
  if [ "$SECONDS" -ge "$deadline" ]; then echo "paypipe: still $lag records behind after ${1:-60}s" >&2; exit 1; fi
  printf '  %s records to go\r' "$lag" >&2
  sleep 1
done
