# Shared by the local scripts: paths, ports, and small helpers. Sourced, never run.
set -euo pipefail
NQPF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# deploy/config.env holds the defaults; a variable already set in the environment wins.
while IFS='=' read -r key value; do
  case "$key" in ''|\#*) continue ;; esac
  [ -n "${!key:-}" ] || export "$key=$value"
done <"$NQPF_ROOT/deploy/config.env"
# NQPF_LOCAL may point elsewhere (a second, private broker for a restart test); downloads stay shared.
NQPF_LOCAL="${NQPF_LOCAL:-$NQPF_ROOT/.local}"
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

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid PIDFILE NAME: SIGTERM, wait up to 30 s, then SIGKILL.
stop_pid() {
  local pidfile=$1 name=$2 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { log "$name did not stop in time; killing"; kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$pidfile"
}
