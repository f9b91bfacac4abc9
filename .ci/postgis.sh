#!/usr/bin/env bash
# Start a throw-away PostgreSQL 15 + PostGIS 3 cluster for the data/postgis
# integration tests, and print the line that exports its URL:
#
#   eval "$(bash .ci/postgis.sh)"     # then: go test ./data/postgis/...
#
# Runs as root (CI and developer machines here); the server runs as the
# "postgres" user in a temporary directory, on 127.0.0.1:${PGPORT:-55432}.
# Stop it with: runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDATA_DIR" stop
# All progress goes to stderr; stdout holds only the export lines.
set -euo pipefail

PORT="${PGPORT:-55432}"
BIN=/usr/lib/postgresql/15/bin
DB=gisement_test

log() { echo "postgis.sh: $*" >&2; }

if [ ! -x "$BIN/initdb" ] || ! ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1; then
  log "installing postgresql-15 and postgresql-15-postgis-3"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The Debian package creates and starts a default cluster on 5432 that we do not use.
  apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-postgis-3 >&2
fi

DIR="$(mktemp -d /tmp/gisement-pg.XXXXXX)"
chown postgres:postgres "$DIR"
as_pg() { runuser -u postgres -- "$@"; }

log "initdb in $DIR/data"
as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
log "starting on 127.0.0.1:$PORT"
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $DB" >&2
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "$DB" -v ON_ERROR_STOP=1 -q -c "CREATE EXTENSION postgis" >&2
VERSION="$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "$DB" -At -c 'SELECT postgis_lib_version()')"
log "ready: PostGIS $VERSION, database $DB"

echo "export PGDATA_DIR=$DIR/data"
echo "export GISEMENT_TEST_PG=postgres://postgres@127.0.0.1:$PORT/$DB?sslmode=disable"
