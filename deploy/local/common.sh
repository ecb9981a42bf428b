# Shared by the local scripts: paths, ports, and small helpers. Sourced, never run.
set -euo pipefail
NQPF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# NQPF_LOCAL may point elsewhere (a second stack, a private broker for a restart test); downloads stay shared.
NQPF_LOCAL="${NQPF_LOCAL:-$NQPF_ROOT/.local}"
# The ports each component listens on, as its start recorded them (record_ports below): later shells without
# the variables find a stack started on other ports. Read by the scripts, the CLI and examples/ (docs/operations.md).
NQPF_PORTS_FILE="$NQPF_LOCAL/run/ports.env"

# pid_alive PIDFILE: the pid in PIDFILE runs and is the component the file is for, as its command line shows
# (a pid reused by another process after a kill -9, an OOM kill or a reboot is not ours). A pidfile naming a
# dead or reused pid is stale and removed — but postmaster.pid, which PostgreSQL handles itself.
pid_alive() {
  local pidfile=$1 pid cmdline
  [ -f "$pidfile" ] || return 1
  pid=$(head -n1 "$pidfile" 2>/dev/null)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    if [ -r "/proc/$pid/cmdline" ]; then cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)
    else cmdline=$(ps -o args= -p "$pid" 2>/dev/null); fi
    # Each component as it runs, or the script that forked it just before its exec.
    case "$pidfile:$cmdline" in
      */run/up.pid:*up.sh*) return 0 ;;
      */kafka.pid:*kafka.Kafka* | */kafka.pid:*kafka.sh*) return 0 ;;
      */postmaster.pid:*postgres*) return 0 ;;
      */run/*.pid:*"apps/$(basename "$pidfile" .pid)/src/main.ts"* | */run/*.pid:*services.sh*) return 0 ;;
    esac
  fi
  case "$pidfile" in */postmaster.pid) ;; *) rm -f "$pidfile" ;; esac
  return 1
}

# recorded_port NAME: NAME's port from the ports file while the component that recorded it still runs (its
# pidfile names a live process that is that component, pid_alive); nothing otherwise, so a crash's
# leftovers never carry over to a new start.
recorded_port() {
  local name=$1 pidfile
  [ -f "$NQPF_PORTS_FILE" ] || return 0
  case "$name" in
    NQPF_PG_PORT) pidfile="$NQPF_LOCAL/pg/data/postmaster.pid" ;;
    NQPF_KAFKA_PORT | NQPF_KAFKA_CONTROLLER_PORT | NQPF_KAFKA_SECURE_PORT) pidfile="$NQPF_LOCAL/kafka/kafka.pid" ;;
    *_PORT) pidfile="$NQPF_LOCAL/run/$(printf '%s' "${name%_PORT}" | tr '[:upper:]' '[:lower:]').pid" ;;
    *) return 0 ;;
  esac
  pid_alive "$pidfile" || return 0
  sed -n "s/^$name=\([0-9][0-9]*\)\$/\1/p" "$NQPF_PORTS_FILE" | tail -n1
}

# A variable set in the environment wins; else a running component's recorded port; else deploy/config.env.
while IFS='=' read -r key value; do
  case "$key" in ''|\#*) continue ;; esac
  [ -z "${!key:-}" ] || continue
  recorded=$(recorded_port "$key")
  export "$key=${recorded:-$value}"
done <"$NQPF_ROOT/deploy/config.env"
unset recorded
NQPF_CACHE="$NQPF_ROOT/.local/cache"
NQPF_LOGS="$NQPF_LOCAL/logs"
mkdir -p "$NQPF_LOGS"
NQPF_SERVICES="intake review reporting assessment finance registry"

log() { printf '[nqpf] %s\n' "$*" >&2; }
die() { printf '[nqpf] error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for SECONDS DESCRIPTION COMMAND...
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || return 1
    sleep 0.5
  done
}

# stop_pid PIDFILE NAME: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local pidfile=$1 name=$2 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(head -n1 "$pidfile")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { log "$name did not stop in time; killing"; kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$pidfile"
}

# record_ports NAME...: NAME=<its value> into the ports file, replacing an older line; called by a start once
# the component listens.
record_ports() {
  local pattern tmp="$NQPF_PORTS_FILE.$$" name
  pattern="^($(IFS='|'; echo "$*"))="
  mkdir -p "$(dirname "$NQPF_PORTS_FILE")"
  {
    if [ -f "$NQPF_PORTS_FILE" ]; then grep -Ev "$pattern" "$NQPF_PORTS_FILE" || true
    else echo "# The ports this stack listens on, written by deploy/local/*.sh start (docs/operations.md)."; fi
    for name in "$@"; do echo "$name=${!name}"; done
  } >"$tmp"
  mv "$tmp" "$NQPF_PORTS_FILE"
}

# forget_ports NAME...: drops their lines (a stop); the file goes with the last port.
forget_ports() {
  [ -f "$NQPF_PORTS_FILE" ] || return 0
  local pattern tmp="$NQPF_PORTS_FILE.$$"
  pattern="^($(IFS='|'; echo "$*"))="
  grep -Ev "$pattern" "$NQPF_PORTS_FILE" >"$tmp" || true
  if grep -q '=' "$tmp"; then mv "$tmp" "$NQPF_PORTS_FILE"; else rm -f "$tmp" "$NQPF_PORTS_FILE"; fi
}
