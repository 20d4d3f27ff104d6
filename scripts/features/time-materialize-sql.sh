#!/usr/bin/env bash
# The parts of Materialize's one SQL statement, timed by the sqlite3 shell on the benchmark's
# data (100k entities × 10 features pushed by Benchmarks/FeatureBench into a release
# feature-server): the window that picks the latest row per entity, the upsert into the online
# table, and the same upsert into a WITHOUT ROWID table and the window over a covering index.
# Usage: scripts/features/time-materialize-sql.sh BIN_DIR
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: time-materialize-sql.sh BIN_DIR}" && pwd)"
"$(dirname "$0")/../ensure-command.sh" sqlite3 sqlite3
WORK="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$BIN_DIR/feature-server" --port 17993 --data-dir "$WORK/server" --log-level warning & PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:18993/healthz" > /dev/null && break; sleep 0.1; done
"$BIN_DIR/FeatureBench" --address 127.0.0.1:17993 --join-rows 10 --bodies "$WORK" > /dev/null
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
sqlite3 "$WORK/server/feature-server.sqlite" ".backup $WORK/copy.sqlite"
LATEST="SELECT view_name, entity, event_time, created_time, payload FROM (SELECT view_name, entity, event_time,
  created_time, payload, ROW_NUMBER() OVER (PARTITION BY entity ORDER BY event_time DESC, created_time DESC, seq DESC) AS r
  FROM offline_rows WHERE view_name = 'bench_mat') WHERE r = 1"
sqlite3 "$WORK/copy.sqlite" <<SQL
.timer on
SELECT 'window only'; SELECT count(*) FROM ($LATEST);
DELETE FROM online_rows WHERE view_name = 'bench_mat';
SELECT 'window + upsert'; INSERT INTO online_rows (view_name, entity, event_time, created_time, payload) $LATEST
  ON CONFLICT (view_name, entity) DO UPDATE SET payload = excluded.payload WHERE excluded.event_time > online_rows.event_time;
CREATE TABLE online_wr (view_name TEXT NOT NULL, entity TEXT NOT NULL, event_time INTEGER NOT NULL, created_time INTEGER NOT NULL,
  payload BLOB NOT NULL, PRIMARY KEY (view_name, entity)) WITHOUT ROWID;
SELECT 'window + upsert, WITHOUT ROWID'; INSERT INTO online_wr (view_name, entity, event_time, created_time, payload) $LATEST
  ON CONFLICT (view_name, entity) DO UPDATE SET payload = excluded.payload WHERE excluded.event_time > online_wr.event_time;
CREATE INDEX offline_covering ON offline_rows (view_name, entity, event_time, created_time, seq);
SELECT 'window only, covering index'; SELECT count(*) FROM ($LATEST);
SQL
