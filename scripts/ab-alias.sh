#!/usr/bin/env bash
# Compares GetModelVersionByAlias between two registry builds, in alternating h2load batches at
# c=1 so both see the same moments of this machine's drifting speed: each batch's p50 and p99
# (from h2load's per-request log) and the server CPU per call (/proc/PID/stat). One tracker
# (from BIN_DIR_A) serves both registries' run checks.
# Usage: scripts/ab-alias.sh BIN_DIR_A BIN_DIR_B [ROUNDS]   (each BIN_DIR holds a release `registry`)
set -euo pipefail
A="$(cd "${1:?usage: ab-alias.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
B="$(cd "${2:?usage: ab-alias.sh BIN_DIR_A BIN_DIR_B [ROUNDS]}" && pwd)"
ROUNDS="${3:-10}"
CALLS=2000
. "$(dirname "$0")/ab-common.sh"
"$VENV/bin/pip" install --quiet --disable-pip-version-check onnx numpy  # bench_registry.py imports them
"$A/tracker" --port 17990 --data-dir "$WORK/tracker" --log-level warning & PIDS+=($!)
declare -A PORT=([a]=17991 [b]=17992) PID=()
for side in a b; do
  bin=$([ "$side" = a ] && echo "$A" || echo "$B")
  "$bin/registry" --port "${PORT[$side]}" --data-dir "$WORK/$side" --tracker-address 127.0.0.1:17990 --log-level warning & PIDS+=($!)
  PID[$side]=$!
  for port in 18990 $((PORT[$side] + 1000)); do
    wait_healthy "$port"
  done
  mkdir -p "$WORK/body-$side"
  PYTHONPATH="$WORK" "$VENV/bin/python" "$ROOT/scripts/bench_registry.py" --registry "127.0.0.1:${PORT[$side]}" \
    --tracker 127.0.0.1:17990 --work "$WORK/body-$side" --alias-only
done
batch() {  # SIDE -> "cpu_ticks p50_us p99_us"
  rm -f "$WORK/h2.log"  # h2load appends to its log file: each batch reads its own calls only
  local before; before=$(ticks "${PID[$1]}")
  h2load "http://127.0.0.1:${PORT[$1]}/mlops.registry.v1.RegistryService/GetModelVersionByAlias" -n "$CALLS" -c 1 -m 1 \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$WORK/body-$1/alias.bin" --log-file "$WORK/h2.log" > /dev/null
  echo "$(( $(ticks "${PID[$1]}") - before )) $(cut -f3 "$WORK/h2.log" | sort -n | awk '{v[NR] = $1} END {print v[int(NR / 2) + 1], v[int(NR * 0.99) + 1]}')"
}
for side in a b; do batch "$side" > /dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for side in a b; do echo "$round $side $(batch "$side")"; done
done > "$WORK/rounds.txt"
python3 - "$WORK/rounds.txt" "$CALLS" "$(getconf CLK_TCK)" <<'PY'
import collections, statistics, sys
path, calls, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
figures = collections.defaultdict(list)
for line in open(path):
    _, side, ticks, p50, p99 = line.split()
    figures[side].append((int(ticks) / hz / calls * 1e6, int(p50), int(p99)))
for side in "ab":
    cpu, p50, p99 = zip(*figures[side])
    print(f"{side.upper()}: GetModelVersionByAlias, medians of rounds: server CPU per call {statistics.median(cpu):.0f} us, "
          f"p50 {statistics.median(p50)} us, p99 {statistics.median(p99)} us")
for name, index in (("server CPU", 0), ("p50", 1), ("p99", 2)):
    pairs = [(a[index], b[index]) for a, b in zip(figures["a"], figures["b"])]
    print(f"   {name}: B lower in {sum(b < a for a, b in pairs)} of {len(pairs)} rounds; median ratio B/A "
          f"{statistics.median(b / a for a, b in pairs):.3f}")
PY
