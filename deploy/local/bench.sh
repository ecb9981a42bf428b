#!/usr/bin/env bash
# Runs every benchmark (bench/**/*.bench.ts) on real PostgreSQL and Kafka. Each one measures its raw
# baseline in the same run and appends { name, value, unit, baseline, ratio } rows to
# bench/results/latest.json; the table at the end is read from that file.
. "$(dirname "$0")/common.sh"
cd "$NQPF_ROOT"
started=0
if ! bash deploy/local/infra.sh status >/dev/null 2>&1; then bash deploy/local/infra.sh start; started=1; fi
trap '[ $started = 1 ] && bash deploy/local/infra.sh stop' EXIT
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:$NQPF_PG_PORT/postgres}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$NQPF_KAFKA_PORT}"
export SWC_NODE_PROJECT="$NQPF_ROOT/tsconfig.json"
mkdir -p bench/results
rm -f bench/results/latest.json
for file in $(find bench -name '*.bench.ts' | sort); do
  log "bench: $file"
  node -r @swc-node/register "$file"
done
node -e '
const rows = require("./bench/results/latest.json");
const w = Math.max(...rows.map((r) => r.name.length));
const n = (x, d) => (x === null || x === undefined ? "-" : Number(x).toFixed(d));
// Milliseconds (bench/plans: statements, many under one) with their decimals; rates and counts whole.
const d = (r) => (r.unit === "ms" ? 3 : 0);
for (const r of rows) console.log(`${r.name.padEnd(w)}  ${n(r.value, d(r)).padStart(10)} ${r.unit.padEnd(10)} baseline ${n(r.baseline, d(r)).padStart(10)}  ratio ${n(r.ratio, 2)}`);
'
