#!/usr/bin/env bash
# Starts everything (PostgreSQL, Kafka, every service) and waits; Ctrl-C (or `npm stop` elsewhere) stops it all.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
trap 'bash "$here/down.sh"; exit 0' INT TERM
bash "$here/infra.sh" start
bash "$here/services.sh" start
# Demo data through the public APIs (deploy/local/seed.ts); NQPF_SEED=0 skips it, existing data is kept.
if [ "${NQPF_SEED:-1}" != 0 ]; then
  (cd "$NQPF_ROOT" && SWC_NODE_PROJECT="$NQPF_ROOT/tsconfig.json" AUTH_DEV_IDENTITY=1 \
    node -r @swc-node/register deploy/local/seed.ts) || log "demo seed failed (services keep running); see above"
fi
log "all services healthy. Logs: $NQPF_LOGS. Stop with Ctrl-C or 'npm stop'."
[ "${NQPF_DETACH:-0}" = 1 ] && exit 0
while true; do sleep 1; done
