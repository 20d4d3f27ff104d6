#!/usr/bin/env bash
# Starts `mlops up`, waits until every process serves, runs `mlops status`, stops it with
# SIGINT, ROUNDS times; reports any start or stop that takes over 60 s. A check that the
# platform never hangs in start-up or shutdown (one CI run once hung in `mlops up`).
# Usage: scripts/stress-up.sh BIN_DIR [ROUNDS]
set -uo pipefail
BIN="$(cd "${1:?usage: stress-up.sh BIN_DIR [ROUNDS]}" && pwd)"
ROUNDS="${2:-20}"
failures=0
for i in $(seq 1 "$ROUNDS"); do
  D="$(mktemp -d)"
  BASE=$((20000 + (i % 20) * 100))
  "$BIN/mlops" up --base-port="$BASE" --data-dir="$D" --bin-dir="$BIN" > "$D/up.log" 2>&1 &
  PID=$!
  up=0
  for _ in $(seq 1 600); do
    grep -q "mlops is up" "$D/up.log" && { up=1; break; }
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$up" = 0 ]; then
    echo "round $i: not up"; tail -5 "$D/up.log"; kill -9 "$PID" 2>/dev/null; failures=$((failures + 1)); rm -rf "$D"; continue
  fi
  "$BIN/mlops" status --base-port="$BASE" > /dev/null 2>&1 || { echo "round $i: status failed"; failures=$((failures + 1)); }
  kill -INT "$PID"
  for _ in $(seq 1 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$PID" 2>/dev/null; then echo "round $i: not stopped"; kill -9 "$PID"; failures=$((failures + 1)); fi
  rm -rf "$D"
done
echo "$ROUNDS rounds, $failures failures"
[ "$failures" = 0 ]
