#!/usr/bin/env bash
# Starts everything (PostgreSQL, Kafka, every service) and waits; Ctrl-C here, or `npm stop` in another
# shell, stops it all and ends this.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
# This process's pid, for down.sh (`npm stop` elsewhere) to end it; one npm start at a time per stack. Written
# first thing (noclobber: two starts cannot both take it), so a stop from now on finds it; a pidfile naming a
# dead pid, or one reused by another process, is stale (pid_alive removes it).
UP_PID="$NQPF_LOCAL/run/up.pid"
mkdir -p "$(dirname "$UP_PID")"
forget_up_pid() { [ "$(cat "$UP_PID" 2>/dev/null)" = $$ ] && rm -f "$UP_PID"; return 0; }
trap forget_up_pid EXIT
# USR1: `npm stop` in another shell (down.sh) is stopping the stack; just end.
trap 'forget_up_pid; log "npm stop: the stack is being stopped; ending"; exit 0' USR1
take_up_pid() { (set -C; echo $$ >"$UP_PID") 2>/dev/null; }
if ! take_up_pid; then
  pid_alive "$UP_PID" && die "npm start is already running (pid $(head -n1 "$UP_PID")); 'npm stop' stops it"
  take_up_pid || die "npm start is starting in another shell; 'npm stop' stops it"
fi
# Ctrl-C (or TERM): stop everything, once — signals that arrive while stopping are ignored (npm passes
# Ctrl-C on as well), and so are they by the stop scripts.
stop_all() {
  trap '' INT TERM USR1
  forget_up_pid
  bash "$here/down.sh"
  exit 0
}
trap stop_all INT TERM
bash "$here/infra.sh" start
bash "$here/services.sh" start
# Demo data through the public APIs (deploy/local/seed.ts); NQPF_SEED=0 skips it, existing data is kept.
if [ "${NQPF_SEED:-1}" != 0 ]; then
  (cd "$NQPF_ROOT" && SWC_NODE_PROJECT="$NQPF_ROOT/tsconfig.json" AUTH_DEV_IDENTITY=1 \
    node -r @swc-node/register deploy/local/seed.ts) || log "demo seed failed (services keep running); see above"
fi
log "all services healthy. Logs: $NQPF_LOGS. Stop with Ctrl-C or 'npm stop'."
[ "${NQPF_DETACH:-0}" = 1 ] && exit 0
# `wait` returns at once on a signal (a foreground sleep would hold the traps back until it ends).
while true; do
  sleep 1 &
  wait $! || true
done
