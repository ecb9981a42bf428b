#!/usr/bin/env bash
# A project-local PostgreSQL cluster on 127.0.0.1:$NQPF_PG_PORT. Usage: postgres.sh start|stop|status
. "$(dirname "$0")/common.sh"

find_bin() {
  local d
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
}

PGBIN=$(find_bin || true)
if [ -z "$PGBIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL binaries not found; installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(find_bin)
  fi
  [ -n "$PGBIN" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install PostgreSQL (Debian: apt-get install postgresql) or use 'docker compose up'."
fi

# The server refuses to run as root: as root, run it as the 'postgres' user in a directory it owns.
RUN=()
PGDIR="$NQPF_LOCAL/pg"
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  RUN=(runuser -u postgres --)
  mkdir -p "$PGDIR"
  chown postgres:postgres "$PGDIR"
  if ! "${RUN[@]}" test -w "$PGDIR"; then
    # The checkout's parents are not reachable by 'postgres': keep the cluster beside /var/tmp instead.
    alt="/var/tmp/nqpf-pg-$(printf '%s' "$NQPF_ROOT" | sha1sum | cut -c1-12)"
    mkdir -p "$alt"; chown postgres:postgres "$alt"
    rmdir "$PGDIR" 2>/dev/null || true
    ln -sfn "$alt" "$PGDIR"
  fi
fi
DATA="$PGDIR/data"
PGCTL=("${RUN[@]}" "$PGBIN/pg_ctl" -D "$DATA")

status() { "${PGCTL[@]}" status >/dev/null 2>&1; }

start() {
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $DATA"
    "${RUN[@]}" "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$NQPF_LOGS/initdb.log" 2>&1 \
      || die "initdb failed; see $NQPF_LOGS/initdb.log"
  fi
  if status; then log "PostgreSQL already running on 127.0.0.1:$NQPF_PG_PORT"; else
    port_open "$NQPF_PG_PORT" && die "port $NQPF_PG_PORT is taken by another process; set NQPF_PG_PORT"
    log "starting PostgreSQL on 127.0.0.1:$NQPF_PG_PORT"
    "${PGCTL[@]}" -l "$PGDIR/server.log" -w -t 60 start \
      -o "-p $NQPF_PG_PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${NQPF_PG_FSYNC:-on}" >/dev/null \
      || die "PostgreSQL did not start; see $PGDIR/server.log"
    record_ports NQPF_PG_PORT
  fi
  for db in $NQPF_SERVICES; do
    psql -h 127.0.0.1 -p "$NQPF_PG_PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1 \
      || psql -q -h 127.0.0.1 -p "$NQPF_PG_PORT" -U postgres -d postgres -c "create database $db" >/dev/null
  done
}

stop() {
  if status; then log "stopping PostgreSQL"; "${PGCTL[@]}" -m fast -w stop >/dev/null; fi
  forget_ports NQPF_PG_PORT
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if status; then echo "postgres: running on 127.0.0.1:$NQPF_PG_PORT"; else echo "postgres: stopped"; exit 3; fi ;;
  *) die "usage: $0 start|stop|status" ;;
esac
