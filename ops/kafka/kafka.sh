#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for the ledger's
# development and integration tests. The broker's jars come from Maven Central (pom.xml
# next to this script) into a cache outside the source tree; its data, config, logs and
# pid live in a state directory.
#
#   kafka.sh fetch [--force]   resolve the broker classpath into the cache (once)
#   kafka.sh start             fetch if needed, format storage if new, start, wait for 127.0.0.1:$PORT
#   kafka.sh stop              SIGTERM, wait, then SIGKILL; fine if not running
#   kafka.sh status            exit 0 if running, 1 otherwise
#
# Environment:
#   LEDGER_KAFKA_DIR              state dir (default /tmp/ledger-kafka)
#   LEDGER_KAFKA_CACHE            classpath cache (default ~/.cache/ledger-kafka/<kafka version>)
#   LEDGER_KAFKA_PORT             client listener port (default 9092)
#   LEDGER_KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   LEDGER_KAFKA_HEAP             JVM heap flags (default "-Xms256m -Xmx512m")
#   LEDGER_KAFKA_JAVA_OPTS        extra JVM flags
#   LEDGER_KAFKA_FSYNC=1          fsync every message (log.flush.interval.messages=1), see README
#   LEDGER_KAFKA_START_TIMEOUT    seconds to wait for the broker (default 60)
#   LEDGER_KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (default 30)
#   JAVA_HOME / JAVA              which java to run (Java 17+)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
POM="$HERE/pom.xml"

KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$POM" | head -n1)"
[ -n "$KAFKA_VERSION" ] || { echo "kafka.sh: cannot read <kafka.version> from $POM" >&2; exit 2; }

CACHE="${LEDGER_KAFKA_CACHE:-$HOME/.cache/ledger-kafka/$KAFKA_VERSION}"
LIB="$CACHE/lib"
MARKER="$CACHE/.complete"

STATE="${LEDGER_KAFKA_DIR:-/tmp/ledger-kafka}"
PORT="${LEDGER_KAFKA_PORT:-9092}"
CPORT="${LEDGER_KAFKA_CONTROLLER_PORT:-9093}"
HOST=127.0.0.1
HEAP="${LEDGER_KAFKA_HEAP:--Xms256m -Xmx512m}"
START_TIMEOUT="${LEDGER_KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${LEDGER_KAFKA_STOP_TIMEOUT:-30}"

DATA="$STATE/data"
LOGS="$STATE/logs"
PROPS="$STATE/server.properties"
LOG4J="$STATE/log4j2.properties"
CLUSTER_ID_FILE="$STATE/cluster.id"
PIDFILE="$STATE/kafka.pid"
BROKER_LOG="$LOGS/server.log"
JVM_OUT="$LOGS/kafka.out"

if [ -n "${JAVA:-}" ]; then :
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java
fi

say() { echo "kafka.sh: $*"; }
die() { echo "kafka.sh: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(( $(now_ms) - $1 )); printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100)); }

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

cache_complete() {
  [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$(pom_hash)" ] &&
    compgen -G "$LIB/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null
}

cmd_fetch() {
  local force=0
  [ "${1:-}" = "--force" ] && force=1
  if [ $force -eq 0 ] && cache_complete; then
    say "classpath cached: $LIB ($(ls "$LIB" | wc -l) jars, Kafka $KAFKA_VERSION)"
    return 0
  fi
  command -v mvn >/dev/null || die "fetch: mvn not found (install Maven: apt-get install maven)"
  mkdir -p "$CACHE"
  # One fetch at a time per cache (a concurrent second caller waits, then finds it complete).
  exec 8>"$CACHE/.lock"
  flock 8
  if [ $force -eq 0 ] && cache_complete; then
    exec 8>&-
    say "classpath cached: $LIB"
    return 0
  fi
  local t0 tmp="$CACHE/lib.partial" log="$CACHE/fetch.log"
  t0=$(now_ms)
  say "fetching Kafka $KAFKA_VERSION classpath from Maven Central into $LIB (log: $log)"
  rm -rf "$tmp" "$MARKER"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" package -Dkafka.lib.dir="$tmp" >"$log" 2>&1; then
    rm -rf "$tmp"
    exec 8>&-
    local why
    why="$(grep -m1 '\[ERROR\] ..*' "$log" | sed 's/^.*\[ERROR\] //; s/ -> \[Help 1\]$//')" || true
    echo "kafka.sh: fetch FAILED: mvn could not resolve the Kafka $KAFKA_VERSION classpath (full log: $log)" >&2
    if [ -n "$why" ]; then echo "  $why" >&2; else tail -n 15 "$log" >&2; fi
    exit 1
  fi
  compgen -G "$tmp/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null ||
    { exec 8>&-; die "fetch FAILED: mvn succeeded but $tmp has no kafka_2.13-$KAFKA_VERSION.jar (see $log)"; }
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
  pom_hash >"$MARKER"
  exec 8>&-
  say "fetched $(ls "$LIB" | wc -l) jars ($(du -sh "$LIB" | cut -f1)) in $(elapsed "$t0") s"
}

# --- process helpers ---------------------------------------------------------------------

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Alive and not a zombie (an unreaped exited process still answers kill -0).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local st
  st="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)" || return 1
  [ "$st" != Z ] && [ "$st" != X ]
}

# Pid from the pid file if that process is alive and is our broker (guards against pid reuse).
broker_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $PROPS" || return 1
  echo "$pid"
}

show_log_tail() {
  local f
  for f in "$JVM_OUT" "$BROKER_LOG"; do
    [ -s "$f" ] || continue
    echo "---- last lines of $f ----" >&2
    tail -n 30 "$f" >&2
  done
}

cmd_status() {
  local pid
  if pid="$(broker_pid)" && port_open "$PORT"; then
    say "running: pid $pid, $HOST:$PORT (controller $CPORT), state $STATE"
    return 0
  fi
  if pid="$(broker_pid)"; then
    say "not ready: pid $pid alive but $HOST:$PORT not accepting connections"
  else
    say "not running"
  fi
  return 1
}

write_config() {
  mkdir -p "$DATA" "$LOGS"
  local flush=""
  if [ "${LEDGER_KAFKA_FSYNC:-0}" = 1 ]; then
    flush="log.flush.interval.messages=1"
  fi
  cat >"$PROPS" <<EOF
# Generated by ops/kafka/kafka.sh; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

# One node: every replication factor and min ISR is 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Topics are created explicitly by the ledger (admin API), 4 partitions unless told.
auto.create.topics.enable=false
num.partitions=4
group.initial.rebalance.delay.ms=0

# The event log is the ledger's source of truth: never delete by age or size.
log.retention.ms=-1
log.retention.bytes=-1
$flush
EOF
  cat >"$LOG4J" <<'EOF'
# Generated by ops/kafka/kafka.sh. Broker log: ${kafka.logs.dir}/server.log (rolled at 20 MB).
status = warn
name = ledger-kafka
# Kafka shuts down in its own shutdown hook; log4j's would close the file before Kafka's last lines.
shutdownHook = disable
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.filePattern = ${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

cluster_id() {
  local id=""
  if [ -s "$CLUSTER_ID_FILE" ]; then
    id="$(cat "$CLUSTER_ID_FILE")"
  elif [ -f "$DATA/meta.properties" ]; then
    # Storage already formatted but the id file is gone: keep the formatted id.
    id="$(sed -n 's/^cluster\.id=//p' "$DATA/meta.properties")"
  fi
  if [ -z "$id" ]; then
    id="$("$JAVA" -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>>"$JVM_OUT" | tail -n1)"
    [ -n "$id" ] || die "start: kafka.tools.StorageTool random-uuid printed nothing (see $JVM_OUT)"
  fi
  echo "$id" >"$CLUSTER_ID_FILE"
  echo "$id"
}

format_storage() {
  local id="$1"
  if [ -f "$DATA/meta.properties" ] && grep -qx "cluster.id=$id" "$DATA/meta.properties" &&
     [ -d "$DATA/__cluster_metadata-0" ]; then
    return 0  # formatted earlier; skip a JVM start
  fi
  if ! "$JAVA" -cp "$LIB/*" -Dlog4j2.configurationFile="$LOG4J" -Dkafka.logs.dir="$LOGS" \
       kafka.tools.StorageTool format -t "$id" -c "$PROPS" --ignore-formatted >>"$JVM_OUT" 2>&1; then
    show_log_tail
    die "start: formatting storage in $DATA failed"
  fi
}

# start/stop of one state dir are serialised (a second caller waits, then sees the result).
lock_state() {
  mkdir -p "$STATE"
  exec 9>"$STATE/.lock"
  flock 9
}

cmd_start() {
  local t0 pid
  t0=$(now_ms)
  lock_state
  if pid="$(broker_pid)"; then
    if port_open "$PORT"; then
      say "already running: pid $pid, $HOST:$PORT"
      return 0
    fi
    say "pid $pid is starting; waiting for $HOST:$PORT"
  else
    for p in "$PORT" "$CPORT"; do
      port_open "$p" && die "start: $HOST:$p is already in use by another process (not the broker of $STATE)"
    done
    "$JAVA" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' ||
      die "start: $JAVA is not Java 17+ (Kafka $KAFKA_VERSION needs it); set JAVA_HOME"
    cmd_fetch
    write_config
    : >"$JVM_OUT"
    [ -f "$BROKER_LOG" ] && mv -f "$BROKER_LOG" "$LOGS/server.previous.log"
    local id
    id="$(cluster_id)"
    format_storage "$id"
    # shellcheck disable=SC2086  # HEAP and JAVA_OPTS are word lists
    ( exec setsid "$JAVA" $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
        -Djava.awt.headless=true -Dlog4j2.configurationFile="$LOG4J" -Dkafka.logs.dir="$LOGS" \
        ${LEDGER_KAFKA_JAVA_OPTS:-} -cp "$LIB/*" kafka.Kafka "$PROPS" \
        </dev/null >>"$JVM_OUT" 2>&1 8>&- 9>&- ) &
    pid=$!
    echo "$pid" >"$PIDFILE"
    say "starting Kafka $KAFKA_VERSION: pid $pid, state $STATE"
  fi
  local deadline=$(( $(now_ms) + START_TIMEOUT * 1000 ))
  while :; do
    if ! alive "$pid"; then
      rm -f "$PIDFILE"
      show_log_tail
      die "start: broker exited during startup"
    fi
    if port_open "$PORT" && grep -q "Kafka Server started" "$BROKER_LOG" 2>/dev/null; then
      say "started in $(elapsed "$t0") s: bootstrap.servers=$HOST:$PORT (pid $pid, log $BROKER_LOG)"
      return 0
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      show_log_tail
      die "start: broker (pid $pid) not ready on $HOST:$PORT after ${START_TIMEOUT} s; still running, use 'kafka.sh stop'"
    fi
    sleep 0.2
  done
}

cmd_stop() {
  local pid t0
  lock_state
  if ! pid="$(broker_pid)"; then
    rm -f "$PIDFILE"
    say "not running"
    return 0
  fi
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(now_ms) + STOP_TIMEOUT * 1000 ))
  while alive "$pid"; do
    if [ "$(now_ms)" -ge "$deadline" ]; then
      say "pid $pid still alive after ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
      break
    fi
    sleep 0.2
  done
  rm -f "$PIDFILE"
  say "stopped pid $pid in $(elapsed "$t0") s"
}

usage() {
  sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  fetch)  shift; cmd_fetch "$@" ;;
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  *)      usage ;;
esac
