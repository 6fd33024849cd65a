#!/usr/bin/env bash
# Start the local flink-tasks runtime in the background, on 127.0.0.1 only:
#   Kafka (KRaft, single node)  127.0.0.1:19092 (controller 19093)
#   StateFun 3.3.0 MiniCluster   REST 127.0.0.1:18081, calls the Node worker at
#                                http://127.0.0.1:18000/statefun
# Builds first if needed, waits until both are ready, prints the startup time.
# PIDs: flink/.run/{kafka,statefun}.pid   logs: flink/.run/{kafka,statefun}.log
#
# Restarts lose nothing: Kafka keeps its data (flink/.run/kafka/data) across
# runs, and StateFun is restored from the newest complete retained checkpoint
# under flink/.run/checkpoints (the launcher retains the last 3). Whatever of
# the two is not running is started and what runs is left alone, so after a
# crash of StateFun or Kafka, running this again is the way back.
#
# Usage: bash flink/bin/up.sh [--fresh] [key=value ...]
#   --fresh    stop what runs, delete Kafka's data and the checkpoints: a clean start
#   key=value  extra Flink configuration for the MiniCluster. Passing
#              execution.savepoint.path (restore from this one) or
#              state.checkpoints.dir (checkpoints go elsewhere) turns the
#              automatic restore off.
# Env:   FLINK_TASKS_MODULE            absolute path of a module.yaml (default flink/module.yaml)
#        FLINK_TASKS_STARTUP_TIMEOUT   seconds to wait for readiness (default 180)
#        JAVA_HOME                     a Java 11 or 17 to use
set -euo pipefail

FLINK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$FLINK_DIR/.run"
KAFKA_LIB="$FLINK_DIR/kafka/target/lib"
LAUNCHER_CP_FILE="$FLINK_DIR/launcher/target/classpath.txt"
INGRESS_JAR="$FLINK_DIR/ingress/target/flink-tasks-ingress.jar"
KAFKA_PORT=19092
CONTROLLER_PORT=19093
REST_PORT=18081
TOPICS=(flink-tasks.requests flink-tasks.replies flink-tasks.events flink-tasks.dead-letters flink-tasks.cancellations)
# Kafka's record limit (bytes): 16 MiB, as in docs/deployment.md (Limits). The
# egresses' max.request.size in module.yaml is the same number.
MAX_MESSAGE_BYTES=16777216
TIMEOUT="${FLINK_TASKS_STARTUP_TIMEOUT:-180}"
MODULE="${FLINK_TASKS_MODULE:-$FLINK_DIR/module.yaml}"
CHECKPOINTS="$RUN/checkpoints"
KAFKA_DATA="$RUN/kafka/data"

now_ms() { date +%s%3N; }
started=$(now_ms)
elapsed() { local ms=$(($(now_ms) - started)); printf '%d.%01ds' "$((ms / 1000))" "$((ms % 1000 / 100))"; }
log() { printf '[up %6s] %s\n' "$(elapsed)" "$*"; }
die() { printf '[up] ERROR: %s\n' "$*" >&2; exit 1; }

FRESH=0
FLINK_ARGS=()
AUTO_RESTORE=1
for arg in "$@"; do
  case "$arg" in
    --fresh) FRESH=1 ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) printf '[up] ERROR: unknown option %s (see --help)\n' "$arg" >&2; exit 2 ;;
    ?*=*)
      FLINK_ARGS+=("$arg")
      case "${arg%%=*}" in execution.savepoint.path | state.checkpoints.dir) AUTO_RESTORE=0 ;; esac
      ;;
    *) printf '[up] ERROR: expected --fresh or key=value, got: %s\n' "$arg" >&2; exit 2 ;;
  esac
done

# --- already running? -------------------------------------------------------
# A pid counts only if that process is still ours (its command line has our marker).
alive() {
  local pid
  pid="$(cat "$RUN/$1.pid" 2>/dev/null)" || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dflinktasks.role=$1 "
}
[[ "$MODULE" = /* ]] || MODULE="$PWD/$MODULE"
[[ -f "$MODULE" ]] || die "module.yaml not found: $MODULE"
if ((FRESH)); then
  if alive kafka || alive statefun; then
    log "--fresh: stopping what runs"
    bash "$FLINK_DIR/bin/down.sh"
  fi
  log "--fresh: deleting Kafka's data and the checkpoints"
  rm -rf "$KAFKA_DATA" "$CHECKPOINTS"
fi
if alive statefun && [[ "$(cat "$RUN/statefun.module" 2>/dev/null)" != "$MODULE" ]]; then
  die "statefun is running with module $(cat "$RUN/statefun.module" 2>/dev/null); run bin/down.sh first"
fi
if alive kafka && alive statefun; then
  log "already running (kafka pid $(cat "$RUN/kafka.pid"), statefun pid $(cat "$RUN/statefun.pid"))"
  exit 0
fi
START_KAFKA=1
START_STATEFUN=1
if alive kafka; then
  START_KAFKA=0
  log "kafka is running (pid $(cat "$RUN/kafka.pid")): starting statefun only"
fi
if alive statefun; then
  START_STATEFUN=0
  log "statefun is running (pid $(cat "$RUN/statefun.pid")): starting kafka only"
fi

mkdir -p "$RUN"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports=()
if ((START_KAFKA)); then ports+=("$KAFKA_PORT" "$CONTROLLER_PORT"); fi
if ((START_STATEFUN)); then ports+=("$REST_PORT"); fi
# A process killed a moment ago may still hold its ports while its last threads exit.
for port in "${ports[@]}"; do
  for _ in $(seq 1 50); do port_open "$port" || break; sleep 0.2; done
  if port_open "$port"; then die "port $port on 127.0.0.1 is already in use"; fi
done

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
  [[ -f "$FLINK_DIR/kafka/target/classes/io/flinktasks/kafka/CreateTopics.class" && -f "$INGRESS_JAR" ]] || return 0
  compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" >/dev/null || return 0
  [[ -z "$(find "$FLINK_DIR/pom.xml" "$FLINK_DIR/launcher" "$FLINK_DIR/kafka" "$FLINK_DIR/ingress" -path '*/target' -prune \
      -o -type f -newer "$LAUNCHER_CP_FILE" -print)" ]] || return 0
  local jar
  while IFS= read -r jar; do [[ -f "$jar" ]] || return 0; done < <(tr ':' '\n' < "$LAUNCHER_CP_FILE")
  return 1
}
if needs_build; then
  log "building (mvn)…"
  build_start=$(now_ms)
  # Offline first (fast with a warm ~/.m2), online if something is missing.
  # package, not compile: the launcher's classpath holds the ingress jar. The
  # Java tests are run by bin/test-java.sh, not here.
  mvn -q -o -f "$FLINK_DIR/pom.xml" package -Dmaven.test.skip=true >"$RUN/build.log" 2>&1 ||
    mvn -q -f "$FLINK_DIR/pom.xml" package -Dmaven.test.skip=true >"$RUN/build.log" 2>&1 ||
    { tail -n 40 "$RUN/build.log" >&2; die "build failed (log: $RUN/build.log)"; }
  touch "$LAUNCHER_CP_FILE"
  log "built in $((($(now_ms) - build_start) / 1000))s"
fi

# --- helpers ------------------------------------------------------------------
RESTORING=""
fail() { # component, message
  printf '[up] ERROR: %s\n--- last lines of %s ---\n' "$2" "$RUN/$1.log" >&2
  tail -n 60 "$RUN/$1.log" >&2 || true
  if [[ "$1" == statefun && -n "$RESTORING" ]]; then
    printf '[up] The job was being restored from %s.\n' "$RESTORING" >&2
    printf '[up] Nothing was deleted. If that checkpoint cannot be used: delete %s to fall back on the next newest one, or pass execution.savepoint.path=file:///…/chk-N (docs/deployment.md, Recovery). Starting without state (running pipelines lost): bash %s --fresh, which also deletes Kafka'"'"'s data.\n' "$RESTORING" "${BASH_SOURCE[0]}" >&2
  fi
  # Stop only what this run started; what was already running stays up.
  if ((START_STATEFUN)) && ((START_KAFKA)); then
    bash "$FLINK_DIR/bin/down.sh" >&2 || true
  elif ((START_STATEFUN)) || ((START_KAFKA)); then
    stop_started "$1"
  fi
  exit 1
}
stop_started() { # component
  local pid
  pid="$(cat "$RUN/$1.pid" 2>/dev/null)" || return 0
  if alive "$1"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do alive "$1" || break; sleep 0.1; done
    alive "$1" && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$RUN/$1.pid"
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
start_kafka() {
  mkdir -p "$RUN/kafka" "$KAFKA_DATA"
  cat >"$RUN/kafka/server.properties" <<KAFKA_CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
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
# Records up to 16 MiB (Kafka's default is about 1 MiB). The topics'
# max.message.bytes and the egresses' max.request.size (module.yaml) agree.
message.max.bytes=$MAX_MESSAGE_BYTES
replica.fetch.max.bytes=$MAX_MESSAGE_BYTES
KAFKA_CONF
  cat >"$RUN/kafka/log4j.properties" <<'KAFKA_LOG'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
log4j.logger.state.change.logger=WARN
KAFKA_LOG
  cat >"$RUN/kafka/tools-log4j.properties" <<'TOOLS_LOG'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
TOOLS_LOG

  : >"$RUN/kafka.log"
  if [[ -f "$KAFKA_DATA/meta.properties" ]]; then
    log "kafka: keeping its data in $KAFKA_DATA (--fresh deletes it)"
  else
    # A KRaft cluster id: 16 random bytes in URL-safe base64 (22 characters).
    # One that starts with '-' would be read as an option by the storage tool.
    local cluster_id=-
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    done
    log "kafka: new data directory, formatting it (cluster id $cluster_id)"
    kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$RUN/kafka/server.properties" \
      >>"$RUN/kafka.log" 2>&1 || fail kafka "kafka storage format failed"
  fi

  log "starting kafka"
  setsid nohup "$JAVA" -Dflinktasks.role=kafka -Xms512m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dkafka.logs.dir="$RUN/kafka" \
    -Dlog4j.configuration="file:$RUN/kafka/log4j.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$RUN/kafka/server.properties" \
    >>"$RUN/kafka.log" 2>&1 </dev/null &
  echo $! >"$RUN/kafka.pid"

  until port_open "$KAFKA_PORT"; do check_pid kafka; check_deadline kafka; sleep 0.2; done
  # Ready = the broker answers metadata requests and the topics exist with our
  # limits (one short-lived JVM).
  kafka_tool io.flinktasks.kafka.CreateTopics "127.0.0.1:$KAFKA_PORT" "$((deadline - SECONDS))" \
    --config "max.message.bytes=$MAX_MESSAGE_BYTES" "${TOPICS[@]}" \
    >>"$RUN/kafka.log" 2>&1 &
  local topics_pid=$!
  while kill -0 "$topics_pid" 2>/dev/null; do
    kill -0 "$(cat "$RUN/kafka.pid")" 2>/dev/null || { kill "$topics_pid"; fail kafka "kafka exited during startup"; }
    sleep 0.2
  done
  wait "$topics_pid" || fail kafka "kafka did not answer / topic creation failed"
  log "kafka ready on 127.0.0.1:$KAFKA_PORT, topics: ${TOPICS[*]}"
}

# --- StateFun -------------------------------------------------------------------
# The newest complete retained checkpoint: <checkpoints>/<job id>/chk-<n> with a
# _metadata file (written last, so a checkpoint cut short by a crash has none).
newest_checkpoint() {
  find "$CHECKPOINTS" -mindepth 3 -maxdepth 3 -type f -name _metadata -path '*/chk-*/_metadata' \
    -printf '%T@ %h\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2- || true
}

start_statefun() {
  local restore=()
  if ((AUTO_RESTORE)); then
    local chk
    chk="$(newest_checkpoint)"
    if [[ -n "$chk" ]]; then
      RESTORING="$chk"
      restore=("execution.savepoint.path=file://$chk")
      log "statefun: restoring from the newest retained checkpoint $chk ($(date -r "$chk/_metadata" '+%F %T'))"
    else
      log "statefun: no retained checkpoint in $CHECKPOINTS, starting with empty state"
    fi
  else
    log "statefun: automatic restore off (execution.savepoint.path or state.checkpoints.dir given)"
  fi

  cat >"$RUN/statefun-log4j.properties" <<'STATEFUN_LOG'
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
STATEFUN_LOG

  rm -rf "$RUN/flink-tmp"
  mkdir -p "$RUN/flink-tmp"
  log "starting statefun (module $MODULE)"
  FLINK_TASKS_MODULE="$MODULE" setsid nohup "$JAVA" -Dflinktasks.role=statefun -Xms1g -Xmx1g \
    "${FLINK_JAVA_FLAGS[@]}" -Dlog4j.configuration="file:$RUN/statefun-log4j.properties" \
    -cp "$FLINK_DIR/launcher/target/classes:$(cat "$LAUNCHER_CP_FILE")" \
    io.flinktasks.statefun.Launcher "io.tmp.dirs=$RUN/flink-tmp" "rest.port=$REST_PORT" \
    "state.checkpoints.dir=file://$CHECKPOINTS" "${restore[@]}" "${FLINK_ARGS[@]}" \
    >"$RUN/statefun.log" 2>&1 </dev/null &
  echo $! >"$RUN/statefun.pid"
  echo "$MODULE" >"$RUN/statefun.module"

  # Ready = the job is RUNNING and all of its tasks are running.
  local overview state running total
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

  # The job runs (restored, if it was): checkpoint directories of jobs other
  # than this one and the one it was restored from are not needed any more.
  # Not before: if the restore fails, the older checkpoints are the way back.
  local jid dir keep_from=""
  jid="$(grep -o '"jid":"[0-9a-f]*"' <<<"$overview" | head -n 1 | cut -d'"' -f4 || true)"
  [[ -n "$RESTORING" ]] && keep_from="$(dirname "$RESTORING")"
  if [[ -n "$jid" ]]; then
    for dir in "$CHECKPOINTS"/*/; do
      [[ -d "$dir" ]] || continue
      dir="${dir%/}"
      [[ "$dir" == "$CHECKPOINTS/$jid" || "$dir" == "$keep_from" ]] || rm -rf "${dir:?}"
    done
  fi
}

if ((START_KAFKA)); then start_kafka; fi
if ((START_STATEFUN)); then start_statefun; fi
log "ready in $(elapsed); stop with: bash $FLINK_DIR/bin/down.sh"
