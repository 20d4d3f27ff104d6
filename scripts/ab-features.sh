#!/usr/bin/env bash
# Compares two feature-server builds on issue #6's push and materialize phases, alternating
# rounds so both see the same moments of this machine's drifting speed: each round starts a
# fresh server (SQLite) and runs Benchmarks/FeatureBench from BIN_DIR_A with 1,000-row joins.
# Prints each round's push (columns, maps, offline only) rows/s and materialize seconds, then
# medians, and the four phases' total seconds: work moved from one phase into a later one
# shows there.
# Usage: scripts/ab-features.sh BIN_DIR_A BIN_DIR_B [ROUNDS]
#   (each BIN_DIR holds a release `feature-server`; BIN_DIR_A also `FeatureBench`)
set -euo pipefail
A="$(cd "${1:?usage: ab-features.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
B="$(cd "${2:?usage: ab-features.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
ROUNDS="${3:-3}"
. "$(dirname "$0")/ab-common.sh"
round() {  # BIN_DIR -> one JSON line of FeatureBench figures against that build's server
  rm -rf "$WORK/data"
  "$1/feature-server" --port 17993 --data-dir "$WORK/data" --log-level warning & PIDS+=($!)
  local pid=$!
  wait_healthy 18993
  "$A/FeatureBench" --address 127.0.0.1:17993 --entities 100000 --join-rows 1000 --bodies "$WORK"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for n in $(seq 1 "$ROUNDS"); do
  for side in a b; do
    echo "$n $side $(round "$([ "$side" = a ] && echo "$A" || echo "$B")" | tr -d '\n ')"
  done
done | tee "$WORK/rounds.txt"
python3 - "$WORK/rounds.txt" <<'PY'
import collections, json, statistics, sys
keys = ["push_rows_per_s", "push_map_rows_per_s", "push_offline_rows_per_s", "materialize_s"]
figures = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    _, side, body = line.split(" ", 2)
    result = json.loads(body)
    for key in keys:
        if key in result:
            figures[key][side].append(result[key])
    n = result["entities"]
    figures["phases_total_s"][side].append(
        n / result["push_rows_per_s"] + n / result["push_map_rows_per_s"] + n / result["push_offline_rows_per_s"] + result["materialize_s"])
for key in keys + ["phases_total_s"]:
    a, b = figures[key]["a"], figures[key]["b"]
    if a and b:
        print(f"{key}: A median {statistics.median(a):,.3f}  B median {statistics.median(b):,.3f}  B/A {statistics.median(b) / statistics.median(a):.3f}")
PY
