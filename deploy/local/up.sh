#!/usr/bin/env bash
# Starts everything (PostgreSQL, Kafka, every service) and waits; Ctrl-C here, or `npm stop` in another
# shell, stops it all and ends this.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
# This process's pid, for down.sh (`npm stop` elsewhere) to end it; one npm start at a time per stack.
UP_PID="$NQPF_LOCAL/run/up.pid"
mkdir -p "$(dirname "$UP_PID")"
pid_alive "$UP_PID" && die "npm start is already running (pid $(cat "$UP_PID")); 'npm stop' stops it"
forget_up_pid() { [ "$(cat "$UP_PID" 2>/dev/null)" = $$ ] && rm -f "$UP_PID"; return 0; }
# Ctrl-C (or TERM): stop everything, once — signals that arrive while stopping are ignored (npm passes
# Ctrl-C on as well), and so are they by the stop scripts.
stop_all() {
  trap '' INT TERM USR1
  forget_up_pid
  bash "$here/down.sh"
  exit 0
}
trap stop_all INT TERM
# USR1: `npm stop` in another shell (down.sh) is stopping the stack; just end.
trap 'forget_up_pid; log "npm stop: the stack is being stopped; ending"; exit 0' USR1
trap forget_up_pid EXIT
echo $$ >"$UP_PID"
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
