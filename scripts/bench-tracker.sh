#!/usr/bin/env bash
# Issue #4's workload against the tracker (release build, SQLite) and an MLflow server (SQLite)
# on loopback, same client machine, same run: the same Python client drives both (a fair
# comparison), then a Swift client (BIN_DIR/TrackerBench) drives a fresh tracker so the figures
# measure the server rather than Python's ~1 ms per call.
# Usage: scripts/bench-tracker.sh BIN_DIR [SEARCH_RUNS]
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-tracker.sh BIN_DIR [SEARCH_RUNS]}" && pwd)"
SEARCH_RUNS="${2:-10000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "mlflow==3.17.2" "grpcio==1.81.1" "grpcio-tools==1.81.1" requests
WORK="$(mktemp -d)"
TRACKER_PID=""; MLFLOW_PID=""
cleanup() { kill $TRACKER_PID $MLFLOW_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$VENV/bin/python" -m grpc_tools.protoc -I "$ROOT/proto" --python_out="$WORK" --grpc_python_out="$WORK" \
  $(cd "$ROOT" && find proto -name '*.proto' | sed 's|^proto/||' | sort | sed "s|^|$ROOT/proto/|")
# One server at a time, so neither competes with the other for the two cores.
"$BIN_DIR/tracker" --port 17950 --data-dir "$WORK/tracker" --log-level warning & TRACKER_PID=$!
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/17950) 2>/dev/null && break; sleep 0.2; done
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --tracker 127.0.0.1:17950 \
  --search-runs "$SEARCH_RUNS" --out "$WORK/ours.json"
kill "$TRACKER_PID"; wait "$TRACKER_PID" 2>/dev/null || true
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --storage "$WORK/tracker/tracker.sqlite" "$WORK/ours.json"
"$BIN_DIR/tracker" --port 17951 --data-dir "$WORK/tracker-swift" --log-level warning & TRACKER_PID=$!
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/17951) 2>/dev/null && break; sleep 0.2; done
"$BIN_DIR/TrackerBench" --address 127.0.0.1:17951 --search-runs "$SEARCH_RUNS" > "$WORK/swift.json"
# h2load (a C HTTP/2 client, next to no client-side cost): LogMetric and SearchRuns latency at
# c=1 from its per-request logs. (h2load replays one body, so it cannot drive the ingest
# workload: the same 100 steps re-logged into one run is a worst case for the history index,
# not a training run.)
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --h2load-bodies 127.0.0.1:17951 "$WORK"
URL=http://127.0.0.1:17951/mlops.tracker.v1.TrackerService
H2=(-m 1 -H 'content-type: application/grpc' -H 'te: trailers')
h2load "$URL/LogMetric" -n 1000 -c 1 "${H2[@]}" -d "$WORK/log_metric.bin" > /dev/null  # warm-up
h2load "$URL/LogMetric" -n 10000 -c 1 "${H2[@]}" -d "$WORK/log_metric.bin" --log-file "$WORK/log_metric.log" > /dev/null
# The issue's SearchRuns over the runs TrackerBench seeded: the server's share of a search.
h2load "$URL/SearchRuns" -n 50 -c 1 "${H2[@]}" -d "$WORK/search_runs.bin" > /dev/null  # warm-up
h2load "$URL/SearchRuns" -n 300 -c 1 "${H2[@]}" -d "$WORK/search_runs.bin" --log-file "$WORK/search_runs.log" > /dev/null
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --h2load-figures "$WORK/log_metric.log" "$WORK/search_runs.log" \
  "$WORK/swift.json" http://127.0.0.1:18951/metrics
kill "$TRACKER_PID"; wait "$TRACKER_PID" 2>/dev/null || true
"$VENV/bin/mlflow" server --backend-store-uri "sqlite:///$WORK/mlflow.db" --default-artifact-root "$WORK/mlflow-artifacts" \
  --host 127.0.0.1 --port 17960 --workers 1 > "$WORK/mlflow.log" 2>&1 & MLFLOW_PID=$!
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:17960/health > /dev/null && break
  sleep 1
done
sleep 5  # let start-up work (migrations) finish before timing
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --mlflow http://127.0.0.1:17960 \
  --search-runs "$SEARCH_RUNS" --out "$WORK/mlflow.json"
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --storage "$WORK/mlflow.db" "$WORK/mlflow.json"
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --compare "$WORK/ours.json" "$WORK/mlflow.json" "$WORK/swift.json"
