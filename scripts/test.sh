#!/usr/bin/env bash
# The TypeScript test suite with the real servers it needs: a throwaway PostgreSQL for the store's
# PostgreSQL adapter (started and stopped here). `npm test` alone runs the same files and skips what
# needs a server it does not have.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
TEST_POSTGRES_URL=$(scripts/postgres.sh start)
export TEST_POSTGRES_URL
trap 'scripts/postgres.sh stop' EXIT
npm test
