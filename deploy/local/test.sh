#!/usr/bin/env bash
# The whole check, as CI runs it: lint, typecheck, then every test on real PostgreSQL and Kafka
# (jest's global setup starts them when nothing else provides them, and stops them after).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== lint"; npm run --silent lint
echo "== typecheck"; npm run --silent typecheck
echo "== tests"; npx jest --ci "$@"
