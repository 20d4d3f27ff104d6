#!/usr/bin/env bash
# Compares the ingest unit's two calls, CreateRun and LogBatch (10 params, 100 points), between
# two tracker builds, in alternating h2load batches so both see the same moments of this
# machine's drifting speed. Besides h2load's latency it reads each server's CPU time
# (/proc/PID/stat) around every batch: what a call costs the server, whatever the client does.
# Usage: scripts/ab-ingest-calls.sh BIN_DIR_A BIN_DIR_B [ROUNDS]   (each BIN_DIR holds a release `tracker`)
set -euo pipefail
A="$(cd "${1:?usage: ab-ingest-calls.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
B="$(cd "${2:?usage: ab-ingest-calls.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
ROUNDS="${3:-10}"
CALLS=300
. "$(dirname "$0")/ab-common.sh"
declare -A PORT=([a]=17983 [b]=17984) PID=()
for side in a b; do
  bin=$([ "$side" = a ] && echo "$A" || echo "$B")
  "$bin/tracker" --port "${PORT[$side]}" --data-dir "$WORK/$side" --log-level warning & PIDS+=($!); PID[$side]=$!
  wait_healthy "$((PORT[$side] + 1000))"
  mkdir -p "$WORK/bodies-$side"
  PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --h2load-ingest-bodies "127.0.0.1:${PORT[$side]}" "$WORK/bodies-$side"
done
batch() {  # SIDE RPC BODY CALLS -> "cpu_ticks mean_latency_us"
  rm -f "$WORK/h2.log"  # h2load appends to its log file: each batch reads its own calls only
  local before; before=$(ticks "${PID[$1]}")
  h2load "http://127.0.0.1:${PORT[$1]}/mlops.tracker.v1.TrackerService/$2" -n "$4" -c 1 -m 1 \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/bodies-$1/$3" --log-file "$WORK/h2.log" > /dev/null
  echo "$(( $(ticks "${PID[$1]}") - before )) $(awk -F'\t' '{s += $3; n++} END {printf "%.0f", s / n}' "$WORK/h2.log")"
}
for side in a b; do batch "$side" CreateRun create_run.bin 100 > /dev/null; batch "$side" LogBatch log_batch.bin 100 > /dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for rpc in CreateRun:create_run.bin LogBatch:log_batch.bin; do
    for side in a b; do echo "$round ${rpc%%:*} $side $(batch "$side" "${rpc%%:*}" "${rpc##*:}" "$CALLS")"; done
  done
done > "$WORK/rounds.txt"
python3 - "$WORK/rounds.txt" "$CALLS" "$(getconf CLK_TCK)" <<'PY'
import collections, statistics, sys
path, calls, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cpu, latency = collections.defaultdict(list), collections.defaultdict(list)
for line in open(path):
    _, rpc, side, ticks, mean = line.split()
    cpu[rpc, side].append(int(ticks) / hz / calls * 1e6)
    latency[rpc, side].append(int(mean))
for rpc in ("CreateRun", "LogBatch"):
    for side in "ab":
        print(f"{side.upper()}: {rpc} server CPU per call, median of rounds {statistics.median(cpu[rpc, side]):.0f} us; "
              f"latency mean {statistics.median(latency[rpc, side]):.0f} us")
    pairs = list(zip(cpu[rpc, "a"], cpu[rpc, "b"]))
    print(f"   B used less CPU in {sum(b < a for a, b in pairs)} of {len(pairs)} rounds; median ratio B/A "
          f"{statistics.median(b / a for a, b in pairs):.3f}")
PY
