#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's postgresql package (DESIGN.md §8).
#   scripts/postgres.sh start   → prints the admin URL (postgres://postgres@127.0.0.1:PORT/postgres)
#   scripts/postgres.sh stop
#   scripts/postgres.sh remove  → stops it and deletes its cluster (a test that picked a free port for it)
# The cluster lives under /tmp (the postgres user must reach it, whatever the clone's folder permissions)
# and listens on 127.0.0.1 only, with trust authentication and fsync off: test data is disposable.
set -euo pipefail
port=${PAYPIPE_TEST_PG_PORT:-54329}
home="/tmp/paypipe-pg-$port"
data="$home/data"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  [ -f "$data/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
}

install() {
  echo "paypipe: installing PostgreSQL from Debian's packages" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
}

case "${1:-}" in
  start)
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || install
    mkdir -p "$home"
    [ "$(id -u)" = 0 ] && chown postgres "$home"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
    fi
    if ! as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_postgres "$bin/pg_ctl" -D "$data" -w -t 60 -l "$home/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c max_connections=200" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    stop
    ;;
  remove)
    stop
    rm -rf "$home"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|remove" >&2
    exit 64
    ;;
esac
