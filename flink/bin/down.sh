#!/usr/bin/env bash
# Stop the local flink-tasks runtime started by bin/up.sh: StateFun first, then
# Kafka. By process id only (TERM, wait, then KILL). Safe to run repeatedly.
set -euo pipefail

RUN="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.run"
GRACE="${FLINK_TASKS_STOP_TIMEOUT:-20}"

# Alive and not a zombie (a zombie waits for its parent, e.g. a failing up.sh).
running() { [[ -r "/proc/$1/stat" ]] && [[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

stop() { # name
  local name="$1" pidfile="$RUN/$1.pid" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  # Only signal the process we started (guards against a recycled pid).
  if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] &&
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dflinktasks.role=$name "; then
    echo "[down] stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while running "$pid" && ((waited < GRACE * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if running "$pid"; then
      echo "[down] $name did not stop within ${GRACE}s: KILL"
      kill -KILL "$pid" 2>/dev/null || true
      while running "$pid"; do sleep 0.1; done
    fi
  fi
  rm -f "$pidfile"
}

stop statefun
stop kafka
rm -f "$RUN/statefun.module"
