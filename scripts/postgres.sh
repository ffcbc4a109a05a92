#!/bin/sh
# PostgreSQL for development and tests, from Debian's own packages (no Docker). Idempotent:
# run it as often as you like, as root on Debian.
#
#   scripts/postgres.sh          installs PostgreSQL if missing, starts the cluster, makes the
#                                role and database `tidewatch`, prints the URL
#   scripts/postgres.sh --test   the same, then a fresh throwaway database (tidewatch_test_*)
#                                for one test run; prints its URL. Old throwaway databases
#                                older than a day are dropped first.
#
# The role has a password and logs in over TCP on the loopback (scram-sha-256, Debian's
# default pg_hba for 127.0.0.1): nothing listens beyond localhost.
set -eu

ROLE=tidewatch
PASSWORD=tidewatch
DB=tidewatch
PORT=5432

say() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        say "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
        exit 1
    fi
    say "installing PostgreSQL from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; }
fi

# The newest installed major version (Debian 12: 15).
VER=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$VER" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    say "creating cluster $VER/main"
    pg_createcluster "$VER" main >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VER" '$1 == v && $2 == "main" { print $3 }')
if ! pg_lsclusters -h | awk -v v="$VER" '$1 == v && $2 == "main" && $4 == "online" { ok = 1 } END { exit !ok }'; then
    say "starting cluster $VER/main on port $PORT"
    pg_ctlcluster "$VER" main start >&2
fi

# Runs SQL as the postgres superuser (peer authentication on the local socket).
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PORT $*"
    else
        sh -c "psql -X -q -v ON_ERROR_STOP=1 -p $PORT $*"
    fi
}

# Waits until the server takes connections (a start returns before it does on slow disks).
i=0
until as_postgres "-tAc 'SELECT 1'" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 30 ]; then
        say "the cluster $VER/main does not answer; see /var/log/postgresql/postgresql-$VER-main.log"
        exit 1
    fi
    sleep 1
done

if [ "$(as_postgres "-tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")" != 1 ]; then
    say "creating role $ROLE"
    # CREATEDB: the tests make and drop their own throwaway databases.
    as_postgres "-c \"CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'\""
fi
if [ "$(as_postgres "-tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" != 1 ]; then
    say "creating database $DB"
    as_postgres "-c \"CREATE DATABASE $DB OWNER $ROLE\""
fi

url() { echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$1"; }

if [ "${1:-}" = "--test" ]; then
    # Throwaway databases left by earlier runs (a killed test) go after a day.
    for old in $(as_postgres "-tAc \"SELECT datname FROM pg_database WHERE datname LIKE 'tidewatch_test_%' AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 day'\""); do
        as_postgres "-c 'DROP DATABASE IF EXISTS $old'"
    done
    TEST_DB="tidewatch_test_$(date +%s)_$$"
    as_postgres "-c \"CREATE DATABASE $TEST_DB OWNER $ROLE\""
    url "$TEST_DB"
else
    url "$DB"
fi
