#!/usr/bin/env bash
# The whole check, as CI runs it: lint, typecheck, every test on real PostgreSQL and Kafka, then the fault
# suite (jest's global setup starts them when nothing else provides them, and stops them after).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "== lint"; npm run --silent lint
echo "== typecheck"; npm run --silent typecheck
echo "== tests"; npx jest --ci "$@"
# The whole run only: `npm test -- <pattern>` runs the matching tests alone.
if [ $# -eq 0 ]; then echo "== faults"; npx jest --ci -c test/faults/jest.config.js; fi
