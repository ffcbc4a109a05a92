#!/bin/sh
# The PostgreSQL-restart fault test (tests/serve_faults.rs) on a throwaway cluster of its
# own, so nobody else's database is restarted under them: makes cluster <ver>/tw_restart_$$
# on a free port, a role and database for the test, runs the test (which stops and starts
# that cluster under load), then drops the cluster. As root on Debian (pg_createcluster).
#
#   scripts/pg-restart-test.sh [extra cargo test args]
set -eu

VER=$(ls /usr/lib/postgresql | sort -n | tail -1)
NAME="tw_restart_$$"
PORT=${PG_RESTART_PORT:-$((5500 + $$ % 400))}
say() { echo "pg-restart-test.sh: $*" >&2; }

cleanup() {
    say "dropping cluster $VER/$NAME"
    pg_dropcluster --stop "$VER" "$NAME" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

say "creating cluster $VER/$NAME on port $PORT"
pg_createcluster "$VER" "$NAME" --port "$PORT" --start >/dev/null
i=0
until su postgres -c "psql -X -q -p $PORT -tAc 'SELECT 1'" >/dev/null 2>&1; do
    i=$((i + 1)); [ "$i" -le 30 ] || { say "the cluster does not answer"; exit 1; }
    sleep 1
done
su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PORT -c \"CREATE ROLE tidewatch LOGIN CREATEDB PASSWORD 'tidewatch'\""
su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PORT -c \"CREATE DATABASE tidewatch OWNER tidewatch\""

export TIDEWATCH_PG_RESTART_CLUSTER="$VER $NAME"
export TIDEWATCH_PG_RESTART_URL="postgres://tidewatch:tidewatch@127.0.0.1:$PORT/tidewatch"
cargo test --release -p tidewatch --test serve_faults "$@" -- the_service_rides_out_a_postgres_restart_under_load --nocapture
