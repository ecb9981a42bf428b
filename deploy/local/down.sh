#!/usr/bin/env bash
# Stops every service, then Kafka and PostgreSQL, and ends a running `npm start` (up.sh). Leaves no process
# and no listening port behind.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
# A waiting `npm start` is told to end first (USR1: it stops nothing itself) and waited for; one still
# starting ends after the step in hand, so nothing starts behind the stop below.
UP_PID="$NQPF_LOCAL/run/up.pid"
# pid_alive: only a pid that is still deploy/local/up.sh, never a process that took over a stale pid.
if pid_alive "$UP_PID"; then
  up=$(head -n1 "$UP_PID")
  log "ending npm start (pid $up)"
  kill -USR1 "$up" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$up" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$up" 2>/dev/null && log "npm start (pid $up) has not ended after 5 minutes; stopping the stack anyway"
  rm -f "$UP_PID"
fi
bash "$here/services.sh" stop
bash "$here/infra.sh" stop
