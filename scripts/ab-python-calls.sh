#!/usr/bin/env bash
# Compares the small calls of issue #4's workload as a Python grpcio client makes them, between
# two tracker builds, in alternating rounds so both see the same moments of this machine's
# drifting speed: one-client ingest (200 × CreateRun + LogBatch of 10 params and 100 points),
# an empty call (Health/Check) p50, and LogMetric p50, each round on a fresh server.
# Usage: scripts/ab-python-calls.sh BIN_DIR_A BIN_DIR_B [ROUNDS]   (each BIN_DIR holds a release `tracker`)
set -euo pipefail
A="$(cd "${1:?usage: ab-python-calls.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
B="$(cd "${2:?usage: ab-python-calls.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
ROUNDS="${3:-6}"
. "$(dirname "$0")/ab-common.sh"
for round in $(seq 1 "$ROUNDS"); do
  for side in a b; do
    bin=$([ "$side" = a ] && echo "$A" || echo "$B")
    rm -rf "$WORK/data"
    "$bin/tracker" --port 17985 --data-dir "$WORK/data" --log-level warning & pid=$!
    wait_healthy 18985
    PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --tracker 127.0.0.1:17985 --small-calls-only \
      --out "$WORK/figures.json" 2> /dev/null
    echo "$side $(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["ingest_points_per_s"], d["empty_call_p50_ms"], d["log_metric_p50_ms"])' "$WORK/figures.json")"
    kill "$pid"; wait "$pid" 2> /dev/null || true
  done
done > "$WORK/rounds.txt"
python3 - "$WORK/rounds.txt" <<'PY'
import statistics, sys
rows = {"a": [], "b": []}
for line in open(sys.argv[1]):
    side, *values = line.split()
    rows[side].append([float(v) for v in values])
names = ["ingest points/s, 1 client", "empty call p50 ms", "LogMetric p50 ms"]
for index, name in enumerate(names):
    a = [r[index] for r in rows["a"]]; b = [r[index] for r in rows["b"]]
    better = sum((y > x) if index == 0 else (y < x) for x, y in zip(a, b))
    print(f"{name:28} A median {statistics.median(a):9.2f}  B median {statistics.median(b):9.2f}  "
          f"B better in {better} of {len(a)}; median ratio B/A {statistics.median(y / x for x, y in zip(a, b)):.3f}")
PY
