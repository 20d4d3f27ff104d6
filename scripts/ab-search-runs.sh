#!/usr/bin/env bash
# Compares SearchRuns between two tracker builds on copies of one database, in alternating
# h2load batches, so both see the same moments of this machine's speed (it drifts by 2× within
# minutes, which swamps any change measured in separate runs). B opens its copy with its own
# migrations, so a schema change is compared on the same runs.
# Usage: scripts/ab-search-runs.sh BIN_DIR_A BIN_DIR_B [ROUNDS]
# (each BIN_DIR holds a release `tracker`; A's dir also needs `TrackerBench`, which seeds 10k runs)
set -euo pipefail
A="$(cd "${1:?usage: ab-search-runs.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
B="$(cd "${2:?usage: ab-search-runs.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
ROUNDS="${3:-30}"
. "$(dirname "$0")/ab-common.sh"
start() {  # BIN_DIR PORT DATA_DIR
  "$1/tracker" --port "$2" --data-dir "$3" --log-level warning & PIDS+=($!)
  wait_healthy "$(($2 + 1000))"
}
start "$A" 17981 "$WORK/a"
"$A/TrackerBench" --address 127.0.0.1:17981 --search-runs 10000 > /dev/null
PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_tracker.py" --h2load-bodies 127.0.0.1:17981 "$WORK"
kill "${PIDS[@]}"; wait 2>/dev/null || true; PIDS=()
cp -r "$WORK/a" "$WORK/b"
start "$A" 17981 "$WORK/a"
start "$B" 17982 "$WORK/b"
H2=(-m 1 -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/search_runs.bin")
URL=mlops.tracker.v1.TrackerService/SearchRuns
for port in 17981 17982; do h2load "http://127.0.0.1:$port/$URL" -n 30 -c 1 "${H2[@]}" > /dev/null; done  # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for side in a b; do
    port=$([ "$side" = a ] && echo 17981 || echo 17982)
    h2load "http://127.0.0.1:$port/$URL" -n 40 -c 1 "${H2[@]}" --log-file "$WORK/$side.$round.log" > /dev/null
  done
done
kill "${PIDS[@]}"; wait 2>/dev/null || true; PIDS=()
# Each log line: start time, status, µs until the end of the response.
python3 - "$WORK" "$ROUNDS" <<'PY'
import statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def micros(side, r):
    return [int(line.split("\t")[2]) for line in open(f"{work}/{side}.{r}.log") if line.strip()]
every = {side: sorted(m for r in range(1, rounds + 1) for m in micros(side, r)) for side in "ab"}
means = {side: [statistics.mean(micros(side, r)) for r in range(1, rounds + 1)] for side in "ab"}
for side, name in (("a", "A"), ("b", "B")):
    values = every[side]
    print(f"{name}: SearchRuns p50 {values[len(values) // 2] / 1000:.2f} ms, p99 {values[int(len(values) * 0.99)] / 1000:.2f} ms over {len(values)} calls")
faster = sum(b < a for a, b in zip(means["a"], means["b"]))
print(f"B's batch mean was lower in {faster} of {rounds} alternating rounds; median ratio B/A of batch means "
      f"{statistics.median(b / a for a, b in zip(means['a'], means['b'])):.3f}")
# The same runs in each build's schema, compacted (VACUUM INTO a copy): what each stores.
import os, sqlite3
for side, name in (("a", "A"), ("b", "B")):
    copy = f"{work}/{side}-compacted.sqlite"
    sqlite3.connect(f"{work}/{side}/tracker.sqlite").execute("VACUUM INTO ?", (copy,))
    print(f"{name}: database {os.path.getsize(copy) / 1e6:.1f} MB compacted")
PY
