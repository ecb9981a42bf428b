#!/usr/bin/env bash
# Real PostgreSQL and Kafka on loopback, without Docker. Usage: infra.sh start|stop|status
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
case "${1:-}" in
  start) bash "$here/postgres.sh" start && bash "$here/kafka.sh" start ;;
  stop) bash "$here/kafka.sh" stop; bash "$here/postgres.sh" stop ;;
  status) rc=0; bash "$here/postgres.sh" status || rc=$?; bash "$here/kafka.sh" status || rc=$?; exit $rc ;;
  *) die "usage: $0 start|stop|status" ;;
esac
