#!/usr/bin/env bash
# Issue #7's monitor figures: a release monitor (SQLite) on loopback driven by the Swift client
# Benchmarks/MonitorBench, then scipy, numpy and Evidently on the same data in the same run
# (scripts/bench_monitor.py, in its own venv: Evidently needs pandas < 3).
# Usage: scripts/bench-monitor.sh BIN_DIR [ROWS]
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-monitor.sh BIN_DIR [ROWS]}" && pwd)"
ROWS="${2:-1000000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${MLOPS_MONITOR_BENCH_VENV:-$ROOT/.venv-bench-monitor}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check numpy scipy "pandas<3" evidently
WORK="$(mktemp -d)"
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
start_monitor() {
  "$BIN_DIR/monitor" --port 17975 --data-dir "$WORK/monitor" --log-level warning "$@" & PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:18975/healthz" > /dev/null && break; sleep 0.1; done
}
start_monitor
"$BIN_DIR/MonitorBench" --address 127.0.0.1:17975 --rows "$ROWS" --data "$WORK/data" > "$WORK/figures.json"
# Cold: the same window read back from storage by a restarted monitor that keeps no window in
# memory (--window-cache-mb 0); the run above served ComputeDrift from the window its
# background evaluation had decoded.
kill "${PIDS[@]}"; wait 2>/dev/null || true; PIDS=()
start_monitor --window-cache-mb 0
"$BIN_DIR/MonitorBench" --address 127.0.0.1:17975 --rows "$ROWS" --data "$WORK/data" --drift-only > "$WORK/cold.json"
"$VENV/bin/python" "$ROOT/scripts/bench_monitor.py" --data "$WORK/data" --figures "$WORK/figures.json" --cold "$WORK/cold.json"
