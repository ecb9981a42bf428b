#!/usr/bin/env bash
# Starts everything (PostgreSQL, Kafka, every service) and waits; Ctrl-C (or `npm stop` elsewhere) stops it all.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
trap 'bash "$here/down.sh"; exit 0' INT TERM
bash "$here/infra.sh" start
bash "$here/services.sh" start
log "all services healthy. Logs: $NQPF_LOGS. Stop with Ctrl-C or 'npm stop'."
[ "${NQPF_DETACH:-0}" = 1 ] && exit 0
while true; do sleep 1; done
