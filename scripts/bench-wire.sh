#!/usr/bin/env bash
# Issue #27's figures: h2load against a tracker on each transport (`--transport nghttp2`, whose
# Health/Check is a fast route answered on the event loop, and grpc-swift-2's NIO transport),
# against the libnghttp2 spike (Benchmarks/WireSpike: the floor for Swift on nghttp2), and
# against nghttpd (libnghttp2's own C server, Debian's nghttp2-server) serving a 5-byte file,
# alternating rounds so every server sees the same moments of this machine's drifting speed.
# Then LogMetric on both trackers: a SQLite write through GRPCCore, the interceptors and the
# service, the path every RPC without a fast route takes.
# Prints req/s at c=16 (one stream per client), mean latency at c=1, each server's CPU per call,
# and the ratios the issue's goals name.
# Usage: scripts/bench-wire.sh BIN_DIR [ROUNDS] [REQUESTS]   (BIN_DIR holds release `tracker` and `WireSpike`)
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-wire.sh BIN_DIR [ROUNDS] [REQUESTS]}" && pwd)"
ROUNDS="${2:-3}"
REQUESTS="${3:-100000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
"$ROOT/scripts/ensure-command.sh" nghttpd nghttp2-server
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "grpcio==1.81.1" "grpcio-tools==1.81.1"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$VENV/bin/python" -m grpc_tools.protoc -I "$ROOT/proto" --python_out="$WORK" --grpc_python_out="$WORK" \
  $(cd "$ROOT" && find proto -name '*.proto' | sed 's|^proto/||' | sort | sed "s|^|$ROOT/proto/|")
printf '\x00\x00\x00\x00\x00' > "$WORK/health.bin"  # an empty HealthCheckRequest in its gRPC frame
mkdir -p "$WORK/www" && printf 'hello' > "$WORK/www/five"
declare -A PID
"$BIN_DIR/tracker" --transport nghttp2 --port 17994 --data-dir "$WORK/ng" --log-level warning & PIDS+=($!); PID[nghttp2]=$!
"$BIN_DIR/WireSpike" --port 17995 > /dev/null & PIDS+=($!); PID[spike]=$!
"$BIN_DIR/tracker" --transport nio --port 17996 --data-dir "$WORK/nio" --log-level warning & PIDS+=($!); PID[nio]=$!
nghttpd --no-tls -d "$WORK/www" 17997 > /dev/null 2>&1 & PIDS+=($!); PID[nghttpd]=$!
PID[log-nghttp2]=${PID[nghttp2]}; PID[log-nio]=${PID[nio]}
for port in 18994 18996; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
done
# A run on each tracker, and LogMetric's body naming it.
for server in nghttp2 nio; do
  port=$([ "$server" = nghttp2 ] && echo 17994 || echo 17996)
  PYTHONPATH="$WORK" "$VENV/bin/python" - "$port" "$WORK/log-$server.bin" <<'PY'
import struct, sys, grpc
from mlops.tracker.v1 import tracker_pb2 as t, tracker_pb2_grpc as g
stub = g.TrackerServiceStub(grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}"))
experiment = stub.CreateExperiment(t.CreateExperimentRequest(name="wire")).experiment.experiment_id
run = stub.CreateRun(t.CreateRunRequest(experiment_id=experiment)).run.info.run_id
body = t.LogMetricRequest(run_id=run, key="loss", value=0.5, step=1).SerializeToString()
open(sys.argv[2], "wb").write(struct.pack(">BI", 0, len(body)) + body)
PY
done
declare -A URL=(
  [nghttp2]=http://127.0.0.1:17994/grpc.health.v1.Health/Check
  [spike]=http://127.0.0.1:17995/grpc.health.v1.Health/Check
  [nio]=http://127.0.0.1:17996/grpc.health.v1.Health/Check
  [nghttpd]=http://127.0.0.1:17997/five
  [log-nghttp2]=http://127.0.0.1:17994/mlops.tracker.v1.TrackerService/LogMetric
  [log-nio]=http://127.0.0.1:17996/mlops.tracker.v1.TrackerService/LogMetric
)
declare -A BODY=([nghttp2]=health.bin [spike]=health.bin [nio]=health.bin [log-nghttp2]=log-nghttp2.bin [log-nio]=log-nio.bin)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() {  # SERVER CLIENTS REQUESTS -> "req/s mean_us cpu_us_per_call"
  local args=(-n "$3" -c "$2" -m 1)
  [ "$1" != nghttpd ] && args+=(-d "$WORK/${BODY[$1]}" -H 'content-type: application/grpc' -H 'te: trailers')
  rm -f "$WORK/h2.log"
  local before; before=$(ticks "${PID[$1]}")
  h2load "${URL[$1]}" "${args[@]}" --log-file "$WORK/h2.log" > "$WORK/h2.out"
  grep -q "$3 succeeded" "$WORK/h2.out" || { echo "$1: not every request succeeded" >&2; cat "$WORK/h2.out" >&2; exit 1; }
  local rps; rps=$(awk '/^finished in/ {print $4}' "$WORK/h2.out")
  local mean; mean=$(awk -F'\t' '{s += $3; n++} END {printf "%.0f", s / n}' "$WORK/h2.log")
  echo "$rps $mean $(awk -v t="$(( $(ticks "${PID[$1]}") - before ))" -v hz="$(getconf CLK_TCK)" -v n="$3" 'BEGIN {printf "%.1f", t / hz / n * 1e6}')"
}
SERVERS=(nghttp2 spike nio nghttpd log-nghttp2 log-nio)
for server in "${SERVERS[@]}"; do load "$server" 16 5000 > /dev/null; done  # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do
    echo "$round $server 16 $(load "$server" 16 "$REQUESTS")"
    echo "$round $server 1 $(load "$server" 1 $((REQUESTS / 5)))"
  done
done > "$WORK/rounds.txt"
python3 - "$WORK/rounds.txt" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, server, clients, rps, mean, cpu = line.split()
    rows[server, clients].append((float(rps), float(mean), float(cpu)))
median = lambda server, clients, i: statistics.median(r[i] for r in rows[server, clients])
names = {"nghttp2": "Health/Check, tracker on nghttp2 (fast route)", "spike": "Health/Check, spike",
         "nio": "Health/Check, tracker on NIO", "nghttpd": "nghttpd, 5-byte file",
         "log-nghttp2": "LogMetric, tracker on nghttp2", "log-nio": "LogMetric, tracker on NIO"}
for server, name in names.items():
    print(f"{name:46} c=16 {median(server, '16', 0):>9,.0f} req/s  CPU {median(server, '16', 2):6.1f} us/call | "
          f"c=1 {median(server, '1', 0):>7,.0f} req/s  mean {median(server, '1', 1):5.0f} us  CPU {median(server, '1', 2):6.1f} us/call")
ratio = lambda a, b, i=0, c="16": median(a, c, i) / median(b, c, i)
print(f"Health/Check nghttp2 / NIO at c=16: {ratio('nghttp2', 'nio'):.2f}x  (goal >= 5x)")
print(f"Health/Check nghttp2 / nghttpd at c=16: {ratio('nghttp2', 'nghttpd'):.0%}  (goal >= 40%)")
print(f"Health/Check nghttp2 / nghttpd mean latency at c=1: {ratio('nghttp2', 'nghttpd', 1, '1'):.2f}x  (goal <= 2x)")
print(f"Health/Check spike / NIO at c=16: {ratio('spike', 'nio'):.2f}x")
print(f"LogMetric nghttp2 / NIO at c=16: {ratio('log-nghttp2', 'log-nio'):.2f}x, c=1 mean latency {ratio('log-nghttp2', 'log-nio', 1, '1'):.2f}x")
PY
