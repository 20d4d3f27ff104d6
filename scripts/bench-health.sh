#!/usr/bin/env bash
# The latency floor every later goal is compared with: h2load (a real HTTP/2 load generator)
# driving grpc.health.v1.Health/Check on one tracker process over loopback, at -c1 and -c16.
# Usage: scripts/bench-health.sh BIN_DIR [REQUESTS]
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-health.sh BIN_DIR [REQUESTS]}" && pwd)"
REQUESTS="${2:-50000}"
"$(dirname "$0")/ensure-command.sh" h2load nghttp2-client
PORT=17901
DATA="$(mktemp -d)"
BODY="$DATA/health-check.grpc"
# One gRPC frame: not compressed (0), length 0 (an empty HealthCheckRequest).
printf '\x00\x00\x00\x00\x00' > "$BODY"
"$BIN_DIR/tracker" --port "$PORT" --data-dir "$DATA/tracker" --log-level warning &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$((PORT + 1000))/healthz" >/dev/null && break
  sleep 0.1
done
URL="http://127.0.0.1:$PORT/grpc.health.v1.Health/Check"
run() {
  h2load "$URL" -n "$1" -c "$2" -m 1 -d "$BODY" \
    -H 'content-type: application/grpc' -H 'te: trailers'
}
# The server's CPU time (user + system, clock ticks) and its threads' context switches so far:
# what each call costs the process, whatever the client does.
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
switches() { cat /proc/"$PID"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'; }
run 2000 1 >/dev/null  # warm-up
for clients in 1 16; do
  echo "== h2load Health/Check: $REQUESTS requests, $clients client(s), 1 stream each =="
  cpu=$(ticks); ctx=$(switches)
  run "$REQUESTS" "$clients" | grep -E '^(finished in|requests:|status codes:|time for request:)'
  awk -v t="$(( $(ticks) - cpu ))" -v hz="$(getconf CLK_TCK)" -v s="$(( $(switches) - ctx ))" -v n="$REQUESTS" \
    'BEGIN {printf "server per call: %.0f us CPU, %.1f context switches\n", t / hz / n * 1e6, s / n}'
done
echo "== grpc_server_handled_total on the process after the run =="
curl -s "http://127.0.0.1:$((PORT + 1000))/metrics" | grep 'grpc_server_handled_total{grpc_service="grpc.health.v1.Health"'
