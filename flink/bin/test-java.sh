#!/usr/bin/env bash
# Unit tests of the Java side (flink/ingress: the io.flinktasks.kafka.v1/ingress
# extension module): mvn test, offline first (fast with a warm ~/.m2), online
# if something is missing (e.g. in CI with an empty ~/.m2). Prints one line
# per test class and exits non-zero if any test fails.
#
# Usage: bash flink/bin/test-java.sh
set -euo pipefail
FLINK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPORTS="$FLINK_DIR/ingress/target/surefire-reports"
LOG="$(mktemp "${TMPDIR:-/tmp}/flink-tasks-java-test.XXXXXX")"
trap 'rm -f "$LOG"' EXIT
command -v mvn >/dev/null || { echo "[test-java] ERROR: mvn not found (needs Maven and Java 11 or 17)" >&2; exit 1; }

started=$(date +%s%3N)
rm -rf "$REPORTS"
run() { mvn -B -q "$@" -f "$FLINK_DIR/pom.xml" -pl ingress test >"$LOG" 2>&1; }
if ! run -o; then
  # Offline fails both when an artifact is missing and when a test fails:
  # only a resolution problem is worth a second, online run.
  if grep -q -e 'offline mode' -e 'has not been downloaded' -e 'Could not resolve' "$LOG"; then
    echo "[test-java] offline build incomplete; resolving from Maven Central"
    run || { grep -v ' WARN  io.flinktasks' "$LOG" | tail -n 60 >&2; echo "[test-java] FAILED" >&2; exit 1; }
  else
    grep -v ' WARN  io.flinktasks' "$LOG" | tail -n 60 >&2
    echo "[test-java] FAILED" >&2
    exit 1
  fi
fi
total=0
for report in "$REPORTS"/TEST-*.xml; do
  line="$(grep -m1 -o '<testsuite [^>]*>' "$report")"
  name="$(sed -E 's/.* name="([^"]*)".*/\1/' <<<"$line")"
  tests="$(sed -E 's/.* tests="([0-9]+)".*/\1/' <<<"$line")"
  total=$((total + tests))
  printf '[test-java] %-70s %3s tests\n' "${name##*.}" "$tests"
done
echo "[test-java] ${total} tests passed in $(( ($(date +%s%3N) - started) / 1000 ))s"
