#!/usr/bin/env bash
# The polyglot check: Python stubs generated from proto/ at test time with grpcio-tools, the
# real platform started with `mlops up`, every process called from Python.
# Usage: scripts/python-e2e.sh BIN_DIR [PYTEST ARGS…]   (BIN_DIR holds mlops and the six processes)
set -euo pipefail
BIN_DIR="$(cd "${1:?usage: python-e2e.sh BIN_DIR}" && pwd)"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${MLOPS_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/python/requirements.txt"
# The SDK as a user installs it (tests/python/test_sdk.py); its generated modules then serve the
# other tests' `mlops.*.v1` imports too (the same protos, the same generator).
"$VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$ROOT/clients/python"
GEN="$(mktemp -d)"
trap 'rm -rf "$GEN"' EXIT
cd "$ROOT"
"$VENV/bin/python" -m grpc_tools.protoc -I proto --python_out="$GEN" --grpc_python_out="$GEN" \
  $(find proto -name '*.proto' | sort)
MLOPS_BIN_DIR="$BIN_DIR" MLOPS_PY_GEN="$GEN" "$VENV/bin/python" -m pytest -q -rs -p no:cacheprovider tests/python "${@:2}"
