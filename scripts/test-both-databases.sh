#!/usr/bin/env bash
# `make test` with TEST_DATABASE_URL set: the whole suite on SQLite and on PostgreSQL at the same
# time, one pytest each (two cores, two suites). Each run's output is kept in its own file and
# printed when it ends, so the two do not interleave. Fails if either run fails.
set -uo pipefail
BIN=${BIN:-.venv/bin}
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

env -u TEST_DATABASE_URL "$BIN/python" -m pytest "$@" >"$LOGS/sqlite.log" 2>&1 &
SQLITE=$!
# the second run keeps out of the first one's cache folder
"$BIN/python" -m pytest -p no:cacheprovider "$@" >"$LOGS/postgresql.log" 2>&1 &
POSTGRESQL=$!

wait "$SQLITE"; SQLITE_STATUS=$?
echo "== SQLite (exit $SQLITE_STATUS) =="
cat "$LOGS/sqlite.log"
wait "$POSTGRESQL"; POSTGRESQL_STATUS=$?
echo "== PostgreSQL (exit $POSTGRESQL_STATUS) =="
cat "$LOGS/postgresql.log"

[ "$SQLITE_STATUS" = 0 ] && [ "$POSTGRESQL_STATUS" = 0 ]
