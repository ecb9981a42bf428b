#!/usr/bin/env bash
# Starts or stops the services as background processes. Usage: services.sh start|stop|status
. "$(dirname "$0")/common.sh"
RUN="$NQPF_LOCAL/run"
mkdir -p "$RUN"

SEAL="$NQPF_LOCAL/seal"

# One Ed25519 seal key per service with an event store (docs/audit.md, "Seals"), made once; public.pem holds
# their public halves for `nqpf audit verify --seal-keys .local/seal/public.pem`.
seal_keys() {
  mkdir -p "$SEAL"
  (
    cd "$NQPF_ROOT"
    node -e '
      const { generateKeyPairSync, createPublicKey } = require("node:crypto");
      const fs = require("node:fs");
      const [dir, ...services] = process.argv.slice(1);
      const publics = services.map((svc) => {
        const file = `${dir}/${svc}.pem`;
        if (!fs.existsSync(file)) {
          const { privateKey } = generateKeyPairSync("ed25519");
          fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
        }
        return createPublicKey(fs.readFileSync(file)).export({ type: "spki", format: "pem" });
      });
      fs.writeFileSync(`${dir}/public.pem`, publics.join(""));
    ' "$SEAL" $(for svc in $NQPF_SERVICES; do [ "$svc" = registry ] || echo "$svc"; done)
  )
}

port_of() { local v; v="$(echo "$1" | tr '[:lower:]' '[:upper:]')_PORT"; echo "${!v}"; }

start_one() {
  local svc=$1 port; port=$(port_of "$svc")
  if pid_alive "$RUN/$svc.pid"; then log "$svc already running on :$port"; return; fi
  port_open "$port" && die "port $port for $svc is taken by another process; set $(echo "$svc" | tr '[:lower:]' '[:upper:]')_PORT"
  (
    cd "$NQPF_ROOT"
    export PORT="$port" SERVICE="$svc"
    export DATABASE_URL="${DATABASE_URL_BASE:-postgres://postgres@127.0.0.1:$NQPF_PG_PORT}/$svc"
    # The development identity is trusted only with NODE_ENV=development or test said in so many words.
    export NODE_ENV="${NODE_ENV:-development}"
    export AUTH_DEV_IDENTITY="${AUTH_DEV_IDENTITY:-1}"
    # The demo seed acts out a publicity three weeks ago on it (PUT /dev/clock); never in production.
    export NQPF_DEV_CLOCK="${NQPF_DEV_CLOCK:-1}"
    export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$NQPF_KAFKA_PORT}"
    export SWC_NODE_PROJECT="$NQPF_ROOT/tsconfig.json"
    [ "$svc" = registry ] || export NQPF_EVENT_SEAL_KEY_FILE="${NQPF_EVENT_SEAL_KEY_FILE:-$SEAL/$svc.pem}"
    exec node -r @swc-node/register "apps/$svc/src/main.ts" >>"$NQPF_LOGS/$svc.log" 2>&1 </dev/null
  ) &
  echo $! >"$RUN/$svc.pid"
  record_ports "$(echo "$svc" | tr '[:lower:]' '[:upper:]')_PORT"
}

healthy() { curl -fsS "http://127.0.0.1:$1/health" >/dev/null; }

start() {
  seal_keys
  for svc in $NQPF_SERVICES; do start_one "$svc"; done
  for svc in $NQPF_SERVICES; do
    local port; port=$(port_of "$svc")
    wait_for 180 "$svc" healthy "$port" || die "$svc did not become healthy in 180 s; see $NQPF_LOGS/$svc.log"
    pid_alive "$RUN/$svc.pid" || die "$svc exited; see $NQPF_LOGS/$svc.log"
  done
  for svc in $NQPF_SERVICES; do
    local port; port=$(port_of "$svc")
    printf '  %-11s http://127.0.0.1:%s   docs: http://127.0.0.1:%s/docs\n' "$svc" "$port" "$port"
  done
}

# All at once: each takes ~5 s to drain its consumers and pools, one after the other half a minute.
stop() {
  local svc names=()
  for svc in $NQPF_SERVICES; do
    stop_pid "$RUN/$svc.pid" "$svc" &
    names+=("$(echo "$svc" | tr '[:lower:]' '[:upper:]')_PORT")
  done
  wait
  forget_ports "${names[@]}"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) for svc in $NQPF_SERVICES; do
      if pid_alive "$RUN/$svc.pid"; then echo "$svc: running on :$(port_of "$svc")"; else echo "$svc: stopped"; fi
    done ;;
  *) die "usage: $0 start|stop|status" ;;
esac
