#!/usr/bin/env bash
# Stops every service, then Kafka and PostgreSQL. Leaves no process and no listening port behind.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
bash "$here/services.sh" stop
bash "$here/infra.sh" stop
