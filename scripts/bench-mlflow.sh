#!/usr/bin/env bash
# Issue #28's benchmark: the tracker workload of bench_tracker.py driven by MLflow's own client
# against `mlops up` (the gateway's MLflow REST front, auth on, release build) and against an
# MLflow server (SQLite, one worker), one server at a time on this machine; ratios printed.
# Usage: scripts/bench-mlflow.sh BIN_DIR [SEARCH_RUNS]
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-mlflow.sh BIN_DIR [SEARCH_RUNS]}" && pwd)"
SEARCH_RUNS="${2:-2000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "mlflow==3.17.2" "grpcio==1.81.1" "grpcio-tools==1.81.1" requests
WORK="$(mktemp -d)"
UP_PID=""; MLFLOW_PID=""
cleanup() { kill -INT $UP_PID 2>/dev/null || true; kill $MLFLOW_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$VENV/bin/python" -m grpc_tools.protoc -I "$ROOT/proto" --python_out="$WORK" --grpc_python_out="$WORK" \
  $(cd "$ROOT" && find proto -name '*.proto' | sed 's|^proto/||' | sort | sed "s|^|$ROOT/proto/|")
BASE=17300
"$BIN_DIR/mlops" up --base-port "$BASE" --data-dir "$WORK/platform" --bin-dir "$BIN_DIR" --log-level warning > "$WORK/up.log" 2>&1 & UP_PID=$!
for _ in $(seq 1 120); do [ -s "$WORK/platform/gateway/admin.key" ] && curl -sf "http://127.0.0.1:$((BASE + 1000))/healthz" > /dev/null && break; sleep 0.5; done
for port in $(seq $BASE $((BASE + 5))); do
  for _ in $(seq 1 120); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
done
MLFLOW_TRACKING_TOKEN="$(cat "$WORK/platform/gateway/admin.key")" PYTHONPATH="$WORK" "$VENV/bin/python" \
  "$ROOT/scripts/bench_mlflow_client.py" "http://127.0.0.1:$((BASE + 1000))" --search-runs "$SEARCH_RUNS" --out "$WORK/ours.json"
kill -INT "$UP_PID"; wait "$UP_PID" 2>/dev/null || true; UP_PID=""
"$VENV/bin/mlflow" server --backend-store-uri "sqlite:///$WORK/mlflow.db" --default-artifact-root "$WORK/mlflow-artifacts" \
  --host 127.0.0.1 --port 17960 --workers 1 > "$WORK/mlflow.log" 2>&1 & MLFLOW_PID=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:17960/health > /dev/null && break; sleep 1; done
sleep 5  # let start-up work (migrations) finish before timing
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_mlflow_client.py" http://127.0.0.1:17960 \
  --search-runs "$SEARCH_RUNS" --out "$WORK/mlflow.json"
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_mlflow_client.py" --compare "$WORK/ours.json" "$WORK/mlflow.json"
