#!/usr/bin/env bash
# A soak of the whole platform (issue #23): LogBatch, GetOnlineFeatures and Predict (sampled to
# the monitor) under h2load, plus a Python client predicting through the gateway, for SECONDS
# (default 600), with every process's RSS sampled every 10 s and the errors each one counted.
# Usage: scripts/soak.sh BIN_DIR [SECONDS]   (BIN_DIR holds release `mlops` and the six processes)
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: soak.sh BIN_DIR [SECONDS]}" && pwd)"
SECONDS_TOTAL="${2:-600}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
VENV="${MLOPS_VENV:-$ROOT/.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/python/requirements.txt"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$VENV/bin/python" "$ROOT/scripts/soak.py" "$OUT" "$BIN_DIR" --seconds "$SECONDS_TOTAL"
