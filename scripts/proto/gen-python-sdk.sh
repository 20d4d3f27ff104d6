#!/usr/bin/env bash
# The Python SDK's protobuf and gRPC modules (clients/python/mlops/<area>/v1/), generated from
# proto/mlops with grpcio-tools' protoc (messages, type stubs, service stubs). They are committed
# so `pip install ./clients/python` needs nothing but pip; tests/python/test_sdk.py regenerates
# them into a temporary directory and fails when they differ (run this script, then commit).
# Usage: scripts/proto/gen-python-sdk.sh [PYTHON] [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="${1:-$ROOT/.venv/bin/python}"
OUT="${2:-$ROOT/clients/python/mlops}"
cd "$ROOT"
find "$OUT" -path "$OUT/*/v1/*" \( -name '*_pb2*.py' -o -name '*_pb2.pyi' \) -delete 2>/dev/null || true
"$PYTHON" -m grpc_tools.protoc -I proto --python_out="$OUT/.." --pyi_out="$OUT/.." --grpc_python_out="$OUT/.." \
  $(find proto/mlops -name '*.proto' | sort)
for dir in $(cd "$OUT" && find . -mindepth 1 -type d -not -name '__pycache__' | sort); do
  [ -f "$OUT/$dir/__init__.py" ] || : > "$OUT/$dir/__init__.py"
done
