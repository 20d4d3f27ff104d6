#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on loopback for the test suite and prints the URL to use as
# MLOPS_TEST_POSTGRES_URL. Installs the server from Debian when missing. Idempotent.
set -euo pipefail
PORT="${MLOPS_TEST_POSTGRES_PORT:-55432}"
DATA="${MLOPS_TEST_POSTGRES_DATA:-/tmp/mlops-test-postgres}"
BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$BIN/initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-15 >&2
fi
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
fi
if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
    -o "-h 127.0.0.1 -p $PORT -k /tmp -c fsync=off" start >&2
fi
"${RUN_AS[@]}" psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'mlops_test'" | grep -q 1 \
  || "${RUN_AS[@]}" createdb -h 127.0.0.1 -p "$PORT" -U postgres mlops_test
echo "postgres://postgres@127.0.0.1:$PORT/mlops_test"
