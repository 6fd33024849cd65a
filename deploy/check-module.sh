#!/usr/bin/env bash
# Checks that deploy/module.yaml (cluster) and flink/module.yaml (local) differ
# only in addresses: comments, blank lines, `urlPathTemplate:` values and Kafka
# `address:` values are ignored, everything else must be identical.
# Exit 0 if so; otherwise prints the difference and exits 1.
#
#   bash deploy/check-module.sh [local.yaml] [cluster.yaml]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="${1:-$ROOT/flink/module.yaml}"
CLUSTER="${2:-$ROOT/deploy/module.yaml}"

normalise() {
  sed -E \
    -e 's/^[[:space:]]*#.*$//' \
    -e 's/[[:space:]]+#.*$//' \
    -e 's/^([[:space:]]*urlPathTemplate:).*/\1 <functions-url>/' \
    -e 's/^([[:space:]]*address:).*/\1 <kafka>/' \
    -e 's/[[:space:]]+$//' \
    "$1" | grep -v '^$'
}

if diff -u --label "$LOCAL (normalised)" --label "$CLUSTER (normalised)" <(normalise "$LOCAL") <(normalise "$CLUSTER"); then
  echo "module.yaml files differ only in addresses: $LOCAL $CLUSTER"
else
  echo "ERROR: $CLUSTER must equal $LOCAL except for addresses (see the diff above)" >&2
  exit 1
fi
