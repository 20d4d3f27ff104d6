#!/usr/bin/env bash
# LogMetric at c=16 between two tracker builds (both on the default nghttp2 transport), in
# alternating h2load batches so both see the same moments of this machine's drifting speed:
# req/s and the server's CPU per call (/proc/PID/stat). Each tracker's metric table grows with
# every batch, so later rounds are slower on both sides; read the ratio per round.
# Usage: scripts/ab-logmetric.sh BIN_DIR_A BIN_DIR_B [ROUNDS] [CALLS]   (each BIN_DIR holds a release `tracker`)
set -euo pipefail
A="$(cd "${1:?usage: ab-logmetric.sh BIN_DIR_A BIN_DIR_B [ROUNDS] [CALLS]}" && pwd)"
B="$(cd "${2:?usage: ab-logmetric.sh BIN_DIR_A BIN_DIR_B [ROUNDS] [CALLS]}" && pwd)"
ROUNDS="${3:-4}"
CALLS="${4:-20000}"
. "$(dirname "$0")/ab-common.sh"
declare -A PORT=([a]=17981 [b]=17982) PID=()
for side in a b; do
  bin=$([ "$side" = a ] && echo "$A" || echo "$B")
  "$bin/tracker" --port "${PORT[$side]}" --data-dir "$WORK/$side" --log-level warning & PIDS+=($!); PID[$side]=$!
  wait_healthy "$((PORT[$side] + 1000))"
  PYTHONPATH="$WORK" "$VENV/bin/python" - "${PORT[$side]}" "$WORK/$side.bin" <<'PY'
import struct, sys, grpc
from mlops.tracker.v1 import tracker_pb2 as t, tracker_pb2_grpc as g
stub = g.TrackerServiceStub(grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}"))
experiment = stub.CreateExperiment(t.CreateExperimentRequest(name="ab")).experiment.experiment_id
run = stub.CreateRun(t.CreateRunRequest(experiment_id=experiment)).run.info.run_id
body = t.LogMetricRequest(run_id=run, key="loss", value=0.5, step=1).SerializeToString()
open(sys.argv[2], "wb").write(b"\x00" + struct.pack(">I", len(body)) + body)
PY
done
for round in $(seq 1 "$ROUNDS"); do
  line="round $round"
  for side in a b; do
    before=$(ticks "${PID[$side]}")
    rps=$(h2load "http://127.0.0.1:${PORT[$side]}/mlops.tracker.v1.TrackerService/LogMetric" -n "$CALLS" -c 16 -m 1 \
      -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/$side.bin" | awk '/finished in/ {print $4}')
    cpu=$(( ($(ticks "${PID[$side]}") - before) * 1000000 / $(getconf CLK_TCK) / CALLS ))
    line="$line  ${side^^}: $rps req/s, $cpu us CPU/call"
  done
  echo "$line"
done
