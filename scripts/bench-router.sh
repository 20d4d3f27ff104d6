#!/usr/bin/env bash
# The inference router against its own Health/Check floor and against MLServer serving the same
# RandomForest (100 trees, depth 8, 20 features), and the gateway's cost on the same calls, in
# one run: h2load at c=1 and c=16, p50/p99 from every request's logged duration.
# Usage: scripts/bench-router.sh BIN_DIR [REQUESTS] [--only "router Predict,router Predict sampled"]
#        (BIN_DIR holds release `mlops` and the six processes; --only runs those targets alone)
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: bench-router.sh BIN_DIR [REQUESTS]}" && pwd)"
REQUESTS="${2:-20000}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/runtime/requirements.txt" \
  -r "$ROOT/tests/python/requirements.txt" joblib
# MLServer in a venv of its own (its pins differ); skipped when it cannot be installed.
MLSERVER_VENV="${MLOPS_MLSERVER_VENV:-$ROOT/.venv-mlserver}"
[ -x "$MLSERVER_VENV/bin/python" ] || python3 -m venv "$MLSERVER_VENV"
MLSERVER=""
if "$MLSERVER_VENV/bin/pip" install --quiet --disable-pip-version-check mlserver mlserver-sklearn "scikit-learn==1.9.1"; then
  MLSERVER="$MLSERVER_VENV/bin/python"
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$VENV/bin/python" "$ROOT/scripts/router/bench_router.py" "$OUT" "$BIN_DIR" --requests "$REQUESTS" --mlserver "$MLSERVER" "${@:3}"
