#!/bin/sh
# Make sure PostgreSQL 15's server binaries (initdb, pg_ctl) are present for the store tests.
# The tests start their own throw-away server on loopback; this script only installs, never starts one.
# Installs Debian's postgresql-15 package with apt-get when pg_ctl is missing (needs root or sudo).
set -eu

PG_BIN=/usr/lib/postgresql/15/bin

if command -v pg_ctl >/dev/null 2>&1 || [ -x "$PG_BIN/pg_ctl" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install_postgres.sh: pg_ctl not found and not root; install postgresql-15 yourself" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_postgres.sh: pg_ctl not found and no apt-get; install PostgreSQL 15 yourself" >&2
    exit 1
fi

echo "install_postgres.sh: installing postgresql-15 with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# postgresql-15 brings the server binaries; the package's own cluster is not used by the tests.
$SUDO apt-get install -y -q --no-install-recommends postgresql-15
[ -x "$PG_BIN/pg_ctl" ] || { echo "install_postgres.sh: $PG_BIN/pg_ctl still missing" >&2; exit 1; }
