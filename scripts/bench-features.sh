#!/usr/bin/env bash
# Issue #6's feature store figures: a release feature-server (SQLite) on loopback driven by the
# Swift client Benchmarks/FeatureBench (push, materialize, point-in-time joins) and by h2load
# (online reads at c=1 and c=16, next to no client cost); then Feast (SQLite online store, file
# offline store) on the same formula-generated data in the same run: its in-process SDK, and
# `feast serve` driven by h2load over HTTP/1.1. scripts/bench_features.py prints the table.
# Usage: scripts/bench-features.sh BIN_DIR [ENTITIES] [JOIN_SIZES]
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-features.sh BIN_DIR [ENTITIES] [JOIN_SIZES]}" && pwd)"
ENTITIES="${2:-100000}"
JOINS="${3:-10000,1000000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
VENV="${MLOPS_FEATURES_BENCH_VENV:-$ROOT/.venv-bench-features}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "feast==0.67.0" pandas pyarrow
PY="$VENV/bin/python"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
BENCH="$ROOT/scripts/bench_features.py"

"$BIN_DIR/feature-server" --port 17963 --data-dir "$WORK/server" --log-level warning & PIDS+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:18963/healthz" > /dev/null && break; sleep 0.1; done
"$BIN_DIR/FeatureBench" --address 127.0.0.1:17963 --entities "$ENTITIES" --join-rows "$JOINS" --bodies "$WORK" > "$WORK/ours.json"
URL=http://127.0.0.1:17963/mlops.features.v1.FeatureStoreService/GetOnlineFeatures
H2=(-H 'content-type: application/grpc' -H 'te: trailers')
h2load "$URL" -n 2000 -c 1 "${H2[@]}" -d "$WORK/online_1.bin" > /dev/null  # warm-up
h2load "$URL" -n 20000 -c 1 -m 1 "${H2[@]}" -d "$WORK/online_1.bin" --log-file "$WORK/o1c1.log" > /dev/null
"$PY" "$BENCH" --h2load-log online_1_c1 "$WORK/o1c1.log" "$WORK/ours.json"
h2load "$URL" -n 100000 -c 16 -m 1 "${H2[@]}" -d "$WORK/online_1.bin" --log-file "$WORK/o1c16.log" > "$WORK/o1c16.txt"
"$PY" "$BENCH" --h2load-log online_1_c16 "$WORK/o1c16.log" "$WORK/ours.json"
"$PY" "$BENCH" --h2load-rate online_1_c16 "$WORK/o1c16.txt" "$WORK/ours.json"
h2load "$URL" -n 20000 -c 1 -m 1 "${H2[@]}" -d "$WORK/online_1.bin" > "$WORK/o1c1.txt"
"$PY" "$BENCH" --h2load-rate online_1_c1 "$WORK/o1c1.txt" "$WORK/ours.json"
h2load "$URL" -n 5000 -c 1 -m 1 "${H2[@]}" -d "$WORK/online_100.bin" --log-file "$WORK/o100.log" > /dev/null
"$PY" "$BENCH" --h2load-log online_100_c1 "$WORK/o100.log" "$WORK/ours.json"
# The gRPC floor on the same process: a Health/Check carries no work of ours.
printf '\x00\x00\x00\x00\x00' > "$WORK/health.bin"
h2load http://127.0.0.1:17963/grpc.health.v1.Health/Check -n 100000 -c 16 -m 1 "${H2[@]}" -d "$WORK/health.bin" > "$WORK/health.txt"
"$PY" "$BENCH" --h2load-rate health_c16 "$WORK/health.txt" "$WORK/ours.json"
curl -sf http://127.0.0.1:18963/metrics | grep 'grpc_server_handled_total.*GetOnlineFeatures' | grep -v 'grpc_code="OK"' && {
  echo "some GetOnlineFeatures calls failed"; exit 1; } || true
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()

"$PY" "$BENCH" --feast "$WORK/feast" "$WORK/feast.json" "$ENTITIES" "$JOINS"
(cd "$WORK/feast" && exec "$VENV/bin/feast" serve -h 127.0.0.1 -p 17966 > "$WORK/serve.log" 2>&1) & PIDS+=($!)
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:17966/health > /dev/null && break; sleep 0.2; done
printf '{"features": [%s], "entities": {"driver_id": [1004242]}}' \
  "$(seq 0 9 | sed 's/.*/"bench:f&"/' | paste -sd,)" > "$WORK/serve.json"
H1=(--h1 -H 'content-type: application/json' -d "$WORK/serve.json")
h2load http://127.0.0.1:17966/get-online-features -n 200 -c 1 "${H1[@]}" > /dev/null  # warm-up
for C in 1 16; do
  h2load http://127.0.0.1:17966/get-online-features -n 2000 -c "$C" "${H1[@]}" --log-file "$WORK/s$C.log" > "$WORK/s$C.txt"
  "$PY" "$BENCH" --h2load-log "serve_1_c$C" "$WORK/s$C.log" "$WORK/feast.json"
  "$PY" "$BENCH" --h2load-rate "serve_1_c$C" "$WORK/s$C.txt" "$WORK/feast.json" --allow-failures
done
echo "== issue #6: feature store, $ENTITIES entities × 10 features (SQLite), vs Feast $("$VENV/bin/pip" show feast | awk '/^Version/ {print $2}')"
cat "$WORK/ours.json"; echo; cat "$WORK/feast.json"; echo
"$PY" "$BENCH" --compare "$WORK/ours.json" "$WORK/feast.json"
