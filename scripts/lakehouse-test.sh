#!/usr/bin/env bash
# The lakehouse's tests with their first store filled by the real simulator through the real pipeline;
# the second, different store stays the seeded Python one (lakehouse/tests/simulated_store.py), which also
# reports refunds the ways the TypeScript simulator does not yet (Stripe's cumulative charge.refunded).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/scripts/simulated-store.sh" "$work/store" 11 600
LAKEHOUSE_TEST_STORE="$work/store/paypipe.db" "$root/lakehouse/scripts/test.sh"
