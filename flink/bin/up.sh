#!/usr/bin/env bash
# Start the local flink-tasks runtime in the background, on 127.0.0.1 only:
#   Kafka (KRaft, single node)  127.0.0.1:19092 (controller 19093)
#   StateFun 3.3.0 MiniCluster   REST 127.0.0.1:18081, calls the Node worker at
#                                http://127.0.0.1:18000/statefun
# Builds first if needed, waits until both are ready, prints the startup time.
# PIDs: flink/.run/{kafka,statefun}.pid   logs: flink/.run/{kafka,statefun}.log
#
# Usage: bash flink/bin/up.sh [flink.key=value ...]   (extra Flink configuration)
# Env:   FLINK_TASKS_MODULE            absolute path of a module.yaml (default flink/module.yaml)
#        FLINK_TASKS_STARTUP_TIMEOUT   seconds to wait for readiness (default 180)
#        JAVA_HOME                     a Java 11 or 17 to use
set -euo pipefail

FLINK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$FLINK_DIR/.run"
KAFKA_LIB="$FLINK_DIR/kafka/target/lib"
LAUNCHER_CP_FILE="$FLINK_DIR/launcher/target/classpath.txt"
KAFKA_PORT=19092
CONTROLLER_PORT=19093
REST_PORT=18081
TOPICS=(flink-tasks.requests flink-tasks.actions flink-tasks.replies flink-tasks.events)
TIMEOUT="${FLINK_TASKS_STARTUP_TIMEOUT:-180}"
MODULE="${FLINK_TASKS_MODULE:-$FLINK_DIR/module.yaml}"

now_ms() { date +%s%3N; }
started=$(now_ms)
elapsed() { local ms=$(($(now_ms) - started)); printf '%d.%01ds' "$((ms / 1000))" "$((ms % 1000 / 100))"; }
log() { printf '[up %6s] %s\n' "$(elapsed)" "$*"; }
die() { printf '[up] ERROR: %s\n' "$*" >&2; exit 1; }

# --- already running? -------------------------------------------------------
# A pid counts only if that process is still ours (its command line has our marker).
alive() {
  local pid
  pid="$(cat "$RUN/$1.pid" 2>/dev/null)" || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dflinktasks.role=$1 "
}
[[ "$MODULE" = /* ]] || MODULE="$PWD/$MODULE"
if alive kafka && alive statefun; then
  if [[ "$(cat "$RUN/statefun.module" 2>/dev/null)" != "$MODULE" ]]; then
    die "already running with module $(cat "$RUN/statefun.module" 2>/dev/null); run bin/down.sh first"
  fi
  log "already running (kafka pid $(cat "$RUN/kafka.pid"), statefun pid $(cat "$RUN/statefun.pid"))"
  exit 0
fi
if alive kafka || alive statefun; then
  log "half running: stopping it first"
  bash "$FLINK_DIR/bin/down.sh"
fi

mkdir -p "$RUN"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$KAFKA_PORT" "$CONTROLLER_PORT" "$REST_PORT"; do
  if port_open "$port"; then die "port $port on 127.0.0.1 is already in use"; fi
done

[[ -f "$MODULE" ]] || die "module.yaml not found: $MODULE"

# --- Java: 11 preferred, else 17 with the flags Flink 1.18 ships for 17 -----
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_java() {
  local candidates=() j
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    case "$(java_major "$JAVA_HOME/bin/java")" in 11 | 17) echo "$JAVA_HOME/bin/java"; return 0 ;; esac
  fi
  for j in /usr/lib/jvm/*11*/bin/java /usr/lib/jvm/*17*/bin/java; do candidates+=("$j"); done
  candidates+=("$(command -v java || true)")
  for wanted in 11 17; do
    for j in "${candidates[@]}"; do
      if [[ -x "$j" && "$(java_major "$j")" == "$wanted" ]]; then echo "$j"; return 0; fi
    done
  done
  return 1
}
JAVA="$(pick_java)" || die "no Java 11 or 17 found (set JAVA_HOME)"
JAVA_MAJOR="$(java_major "$JAVA")"
FLINK_JAVA_FLAGS=()
if [[ "$JAVA_MAJOR" == 17 ]]; then
  FLINK_JAVA_FLAGS=(
    --add-exports=java.base/sun.net.util=ALL-UNNAMED
    --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens=java.base/java.text=ALL-UNNAMED
    --add-opens=java.base/java.time=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  )
fi
log "java $JAVA_MAJOR: $JAVA"

# --- build if needed ----------------------------------------------------------
needs_build() {
  [[ -f "$LAUNCHER_CP_FILE" && -f "$FLINK_DIR/launcher/target/classes/io/flinktasks/statefun/Launcher.class" ]] || return 0
  [[ -f "$FLINK_DIR/kafka/target/classes/io/flinktasks/kafka/CreateTopics.class" ]] || return 0
  compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" >/dev/null || return 0
  [[ -z "$(find "$FLINK_DIR/pom.xml" "$FLINK_DIR/launcher" "$FLINK_DIR/kafka" -path '*/target' -prune \
      -o -type f -newer "$LAUNCHER_CP_FILE" -print)" ]] || return 0
  local jar
  while IFS= read -r jar; do [[ -f "$jar" ]] || return 0; done < <(tr ':' '\n' < "$LAUNCHER_CP_FILE")
  return 1
}
if needs_build; then
  log "building (mvn)…"
  build_start=$(now_ms)
  # Offline first (fast with a warm ~/.m2), online if something is missing.
  mvn -q -o -f "$FLINK_DIR/pom.xml" compile >"$RUN/build.log" 2>&1 ||
    mvn -q -f "$FLINK_DIR/pom.xml" compile >"$RUN/build.log" 2>&1 ||
    { tail -n 40 "$RUN/build.log" >&2; die "build failed (log: $RUN/build.log)"; }
  touch "$LAUNCHER_CP_FILE"
  log "built in $((($(now_ms) - build_start) / 1000))s"
fi

# --- helpers ------------------------------------------------------------------
fail() { # component, message
  printf '[up] ERROR: %s\n--- last lines of %s ---\n' "$2" "$RUN/$1.log" >&2
  tail -n 60 "$RUN/$1.log" >&2 || true
  bash "$FLINK_DIR/bin/down.sh" >&2 || true
  exit 1
}
deadline=$((SECONDS + TIMEOUT))
check_deadline() { ((SECONDS < deadline)) || fail "$1" "$1 not ready after ${TIMEOUT}s"; }
check_pid() { kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null || fail "$1" "$1 exited during startup"; }
kafka_tool() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j.configuration="file:$RUN/kafka/tools-log4j.properties" \
    -cp "$FLINK_DIR/kafka/target/classes:$KAFKA_LIB/*" "$@"
}

# --- Kafka ----------------------------------------------------------------------
rm -rf "$RUN/kafka" "$RUN/flink-tmp"
mkdir -p "$RUN/kafka/data" "$RUN/flink-tmp"
cat >"$RUN/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$RUN/kafka/data
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
# StateFun's exactly-once egresses use transactionTimeout 5min (module.yaml); it must stay <= this.
transaction.max.timeout.ms=900000
group.initial.rebalance.delay.ms=0
EOF
cat >"$RUN/kafka/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
log4j.logger.state.change.logger=WARN
EOF
cat >"$RUN/kafka/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
EOF

cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$RUN/kafka/server.properties" \
  >"$RUN/kafka.log" 2>&1 || fail kafka "kafka storage format failed"

log "starting kafka"
setsid nohup "$JAVA" -Dflinktasks.role=kafka -Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -Djava.awt.headless=true -Dkafka.logs.dir="$RUN/kafka" \
  -Dlog4j.configuration="file:$RUN/kafka/log4j.properties" \
  -cp "$KAFKA_LIB/*" kafka.Kafka "$RUN/kafka/server.properties" \
  >>"$RUN/kafka.log" 2>&1 </dev/null &
echo $! >"$RUN/kafka.pid"

until port_open "$KAFKA_PORT"; do check_pid kafka; check_deadline kafka; sleep 0.2; done
# Ready = the broker answers metadata requests and the topics exist (one short-lived JVM).
kafka_tool io.flinktasks.kafka.CreateTopics "127.0.0.1:$KAFKA_PORT" "$((deadline - SECONDS))" "${TOPICS[@]}" \
  >>"$RUN/kafka.log" 2>&1 &
topics_pid=$!
while kill -0 "$topics_pid" 2>/dev/null; do
  kill -0 "$(cat "$RUN/kafka.pid")" 2>/dev/null || { kill "$topics_pid"; fail kafka "kafka exited during startup"; }
  sleep 0.2
done
wait "$topics_pid" || fail kafka "kafka did not answer / topic creation failed"
kafka_ready="$(elapsed)"
log "kafka ready on 127.0.0.1:$KAFKA_PORT, topics: ${TOPICS[*]}"

# --- StateFun -------------------------------------------------------------------
cat >"$RUN/statefun-log4j.properties" <<'EOF'
log4j.rootLogger=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss,SSS} %-5p %-50c{2} - %m%n
log4j.logger.org.apache.kafka=WARN
log4j.logger.akka=WARN
log4j.logger.org.apache.flink.streaming.connectors.kafka=WARN
# Per-checkpoint chatter (every second): keep warnings only.
log4j.logger.org.apache.flink.runtime.checkpoint=WARN
log4j.logger.org.apache.flink.streaming.api.functions.sink.TwoPhaseCommitSinkFunction=WARN
log4j.logger.org.apache.flink.runtime.webmonitor.WebMonitorUtils=ERROR
EOF

log "starting statefun (module $MODULE)"
FLINK_TASKS_MODULE="$MODULE" setsid nohup "$JAVA" -Dflinktasks.role=statefun -Xms1g -Xmx1g \
  "${FLINK_JAVA_FLAGS[@]}" -Dlog4j.configuration="file:$RUN/statefun-log4j.properties" \
  -cp "$FLINK_DIR/launcher/target/classes:$(cat "$LAUNCHER_CP_FILE")" \
  io.flinktasks.statefun.Launcher "io.tmp.dirs=$RUN/flink-tmp" "rest.port=$REST_PORT" \
  "state.checkpoints.dir=file://$RUN/checkpoints" "$@" \
  >"$RUN/statefun.log" 2>&1 </dev/null &
echo $! >"$RUN/statefun.pid"
echo "$MODULE" >"$RUN/statefun.module"

# Ready = the job is RUNNING and all of its tasks are running.
while :; do
  check_pid statefun; check_deadline statefun
  if overview="$(curl -fsS --max-time 2 "http://127.0.0.1:$REST_PORT/jobs/overview" 2>/dev/null)"; then
    state="$(grep -o '"state":"[A-Z_]*"' <<<"$overview" | head -n 1 | cut -d'"' -f4 || true)"
    running="$(grep -o '"running":[0-9]*' <<<"$overview" | head -n 1 | cut -d: -f2 || true)"
    total="$(grep -o '"total":[0-9]*' <<<"$overview" | head -n 1 | cut -d: -f2 || true)"
    case "$state" in
      RUNNING) [[ -n "$total" && "$running" == "$total" ]] && break ;;
      FAILED | FAILING | CANCELED | FINISHED) fail statefun "statefun job is $state" ;;
    esac
  fi
  sleep 0.5
done
log "statefun job RUNNING ($total tasks), REST on 127.0.0.1:$REST_PORT"
log "ready in $(elapsed) (kafka $kafka_ready); stop with: bash $FLINK_DIR/bin/down.sh"
