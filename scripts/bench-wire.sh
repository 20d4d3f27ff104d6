#!/usr/bin/env bash
# Issue #27's spike figure: h2load on grpc.health.v1.Health/Check against the libnghttp2 spike
# (Benchmarks/WireSpike), a tracker on grpc-swift-2's NIO transport, and nghttpd (libnghttp2's
# own server, Debian's nghttp2-server) serving a 5-byte file, alternating rounds so all three
# see the same moments of this machine's drifting speed. Prints req/s at c=16 (one stream per
# client) and mean latency at c=1, each server's CPU per call, and the ratios the issue's goals
# name: spike/NIO at c=16 (spike goal 3×, transport goal 5×), spike/nghttpd at c=16 (goal 40%),
# spike/nghttpd mean latency at c=1 (goal ≤ 2×).
# Usage: scripts/bench-wire.sh BIN_DIR [ROUNDS] [REQUESTS]   (BIN_DIR holds release `tracker` and `WireSpike`)
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-wire.sh BIN_DIR [ROUNDS] [REQUESTS]}" && pwd)"
ROUNDS="${2:-3}"
REQUESTS="${3:-100000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
"$ROOT/scripts/ensure-command.sh" nghttpd nghttp2-server
WORK="$(mktemp -d)"
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
printf '\x00\x00\x00\x00\x00' > "$WORK/health.bin"  # an empty HealthCheckRequest in its gRPC frame
mkdir -p "$WORK/www" && printf 'hello' > "$WORK/www/five"
"$BIN_DIR/WireSpike" --port 17995 > /dev/null & PIDS+=($!); declare -A PID=([spike]=$!)
"$BIN_DIR/tracker" --port 17996 --data-dir "$WORK/tracker" --log-level warning & PIDS+=($!); PID[nio]=$!
nghttpd --no-tls -d "$WORK/www" 17997 > /dev/null 2>&1 & PIDS+=($!); PID[nghttpd]=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18996/healthz > /dev/null && break; sleep 0.1; done
sleep 0.5
declare -A URL=(
  [spike]=http://127.0.0.1:17995/grpc.health.v1.Health/Check
  [nio]=http://127.0.0.1:17996/grpc.health.v1.Health/Check
  [nghttpd]=http://127.0.0.1:17997/five
)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() {  # SERVER CLIENTS REQUESTS -> "req/s mean_us cpu_us_per_call"
  local args=(-n "$3" -c "$2" -m 1)
  [ "$1" != nghttpd ] && args+=(-d "$WORK/health.bin" -H 'content-type: application/grpc' -H 'te: trailers')
  rm -f "$WORK/h2.log"
  local before; before=$(ticks "${PID[$1]}")
  h2load "${URL[$1]}" "${args[@]}" --log-file "$WORK/h2.log" > "$WORK/h2.out"
  grep -q "$3 succeeded" "$WORK/h2.out" || { echo "$1: not every request succeeded" >&2; cat "$WORK/h2.out" >&2; exit 1; }
  local rps; rps=$(awk '/^finished in/ {print $4}' "$WORK/h2.out")
  local mean; mean=$(awk -F'\t' '{s += $3; n++} END {printf "%.0f", s / n}' "$WORK/h2.log")
  echo "$rps $mean $(awk -v t="$(( $(ticks "${PID[$1]}") - before ))" -v hz="$(getconf CLK_TCK)" -v n="$3" 'BEGIN {printf "%.1f", t / hz / n * 1e6}')"
}
for server in spike nio nghttpd; do load "$server" 16 5000 > /dev/null; done  # warm-up
for round in $(seq 1 "$ROUNDS"); do
  for server in spike nio nghttpd; do
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
for server in ("spike", "nio", "nghttpd"):
    print(f"{server:8} c=16 {median(server, '16', 0):>9,.0f} req/s  CPU {median(server, '16', 2):6.1f} us/call | "
          f"c=1 {median(server, '1', 0):>7,.0f} req/s  mean {median(server, '1', 1):5.0f} us  CPU {median(server, '1', 2):6.1f} us/call")
print(f"spike / NIO at c=16: {median('spike', '16', 0) / median('nio', '16', 0):.2f}x  (spike goal 3x, transport goal 5x)")
print(f"spike / nghttpd at c=16: {median('spike', '16', 0) / median('nghttpd', '16', 0):.0%}  (goal >= 40%)")
print(f"spike / nghttpd mean latency at c=1: {median('spike', '1', 1) / median('nghttpd', '1', 1):.2f}x  (goal <= 2x)")
PY
