#!/usr/bin/env bash
# Issue #5's registry figures: a release tracker and registry (SQLite) on loopback, driven by
# scripts/bench_registry.py (Python grpcio) and h2load (GetModelVersionByAlias latency, from
# its per-request log at c=1). Usage: scripts/bench-registry.sh BIN_DIR
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-registry.sh BIN_DIR}" && pwd)"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "grpcio==1.81.1" "grpcio-tools==1.81.1" onnx numpy
WORK="$(mktemp -d)"
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$VENV/bin/python" -m grpc_tools.protoc -I "$ROOT/proto" --python_out="$WORK" --grpc_python_out="$WORK" \
  $(cd "$ROOT" && find proto -name '*.proto' | sed "s|^|$ROOT/|" | sort)
"$BIN_DIR/tracker" --port 17971 --data-dir "$WORK/tracker" --log-level warning & PIDS+=($!)
"$BIN_DIR/registry" --port 17972 --data-dir "$WORK/registry" --tracker-address 127.0.0.1:17971 --log-level warning & PIDS+=($!)
for port in 18971 18972; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
done
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_registry.py" --registry 127.0.0.1:17972 --tracker 127.0.0.1:17971 \
  --work "$WORK" --out "$WORK/figures.json"
URL=http://127.0.0.1:17972/mlops.registry.v1.RegistryService/GetModelVersionByAlias
H2=(-m 1 -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/alias.bin")
h2load "$URL" -n 2000 -c 1 "${H2[@]}" > /dev/null  # warm-up
h2load "$URL" -n 20000 -c 1 "${H2[@]}" --log-file "$WORK/alias.log" | grep -E "finished in|time for request"
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_registry.py" --alias-figures "$WORK/alias.log" "$WORK/figures.json" \
  http://127.0.0.1:18972/metrics
