#!/usr/bin/env bash
# The model runtime against onnxruntime, same models, same rows, same run (issue #3):
# 1-row latency p50/p99 and 100-row batch throughput per model, and the ratios.
# Usage: scripts/bench-runtime.sh BIN_DIR [CALLS]   (BIN_DIR holds a release `mlops`)
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-runtime.sh BIN_DIR [CALLS]}" && pwd)"
CALLS="${2:-20000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/runtime/requirements.txt"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$VENV/bin/python" "$ROOT/scripts/runtime/bench_models.py" "$OUT" --calls "$CALLS" 2>/dev/null
for model in "$OUT"/*.onnx; do
  name="$(basename "$model" .onnx)"
  "$BIN_DIR/mlops" model bench "$model" --input "$OUT/$name.csv" --calls "$CALLS" > "$OUT/$name.swift.json"
done
"$VENV/bin/python" - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
ort = json.load(open(os.path.join(out, "onnxruntime.json")))
print(f"{'model':28} {'p50 µs':>8} {'ORT':>8} {'ratio':>6} {'p99 µs':>8} {'ORT':>8} {'batch100 rows/s':>16} {'ORT':>12} {'ORT/ours':>9}")
for name, o in ort.items():
    s = json.load(open(os.path.join(out, name + ".swift.json")))
    print(f"{name:28} {s['p50_us']:8.2f} {o['p50_us']:8.2f} {s['p50_us'] / o['p50_us']:6.2f} {s['p99_us']:8.2f} {o['p99_us']:8.2f}"
          f" {s['batch100_rows_per_s']:16,.0f} {o['batch100_rows_per_s']:12,.0f} {o['batch100_rows_per_s'] / s['batch100_rows_per_s']:9.2f}")
PY
