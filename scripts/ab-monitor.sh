#!/usr/bin/env bash
# Compares two monitor builds on issue #7's phases, alternating rounds so both see the same
# moments of this machine's drifting speed: each round starts a fresh monitor (SQLite, no
# window kept in memory, so ComputeDrift decodes the window from storage) and runs
# Benchmarks/MonitorBench from BIN_DIR_A. Prints medians of ingest rate, window evaluation and
# ComputeDrift (KS, PSI) seconds, with B/A.
# Usage: scripts/ab-monitor.sh BIN_DIR_A BIN_DIR_B [ROUNDS] [ROWS]
#   (each BIN_DIR holds a release `monitor`; BIN_DIR_A also `MonitorBench`)
set -euo pipefail
A="$(cd "${1:?usage: ab-monitor.sh BIN_DIR_A BIN_DIR_B [ROUNDS] [ROWS]}" && pwd)"
B="$(cd "${2:?usage: ab-monitor.sh BIN_DIR_A BIN_DIR_B [ROUNDS] [ROWS]}" && pwd)"
ROUNDS="${3:-3}"
ROWS="${4:-200000}"
. "$(dirname "$0")/ab-common.sh"
round() {  # BIN_DIR -> one JSON line of MonitorBench figures against that build's monitor
  rm -rf "$WORK/monitor"
  "$1/monitor" --port 17976 --data-dir "$WORK/monitor" --log-level warning --window-cache-mb 0 & PIDS+=($!)
  local pid=$!
  wait_healthy 18976
  "$A/MonitorBench" --address 127.0.0.1:17976 --rows "$ROWS" --data "$WORK/data"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for n in $(seq 1 "$ROUNDS"); do
  for side in a b; do
    echo "$n $side $(round "$([ "$side" = a ] && echo "$A" || echo "$B")" | tr -d '\n ')"
  done
done > "$WORK/rounds.txt"
python3 - "$WORK/rounds.txt" <<'PY'
import collections, json, statistics, sys
keys = ["ingest_records_per_second", "window_evaluation_seconds", "compute_drift_ks_seconds", "compute_drift_psi_seconds"]
figures = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, side, body = line.split(" ", 2)
    row = json.loads(body)
    for key in keys:
        figures[key, side].append(row[key])
for key in keys:
    a, b = statistics.median(figures[key, "a"]), statistics.median(figures[key, "b"])
    print(f"{key}: A median {a:,.3f}  B median {b:,.3f}  B/A {b / a:.3f}")
PY
