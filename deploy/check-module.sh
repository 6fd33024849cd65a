#!/usr/bin/env bash
# Checks that deploy/module.yaml (cluster) and flink/module.yaml (local) differ
# only in addresses: comments, blank lines, `urlPathTemplate:` values and Kafka
# `address:` values are ignored, everything else must be identical. And, since
# the modules use the flink-tasks ingress (io.flinktasks.kafka.v1/ingress), that
# the cluster's StateFun image carries its jar next to module.yaml.
# Exit 0 if so; otherwise prints what is wrong and exits 1.
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

# A module using kind io.flinktasks.kafka.v1/ingress needs flink-tasks-ingress.jar
# in the StateFun image (deploy/Dockerfile.statefun), which deploy/k8s must run.
if grep -q '^kind: io\.flinktasks\.kafka\.v1/ingress' "$CLUSTER"; then
  DOCKERFILE="$ROOT/deploy/Dockerfile.statefun"
  if ! grep -Eq '^COPY .*flink-tasks-ingress\.jar /opt/statefun/modules/flink-tasks/' "$DOCKERFILE"; then
    echo "ERROR: $CLUSTER uses io.flinktasks.kafka.v1/ingress, but $DOCKERFILE does not add flink-tasks-ingress.jar to /opt/statefun/modules/flink-tasks/" >&2
    exit 1
  fi
  if grep -q 'image: apache/flink-statefun' "$ROOT/deploy/k8s/statefun.yaml"; then
    echo "ERROR: deploy/k8s/statefun.yaml runs the stock apache/flink-statefun image, which lacks the flink-tasks ingress; use flink-tasks-statefun (deploy/Dockerfile.statefun)" >&2
    exit 1
  fi
  echo "the StateFun image (deploy/Dockerfile.statefun) adds the flink-tasks ingress jar"
fi
