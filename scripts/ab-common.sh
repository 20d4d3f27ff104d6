# Sourced by the A/B scripts (ab-search-runs.sh, ab-ingest-calls.sh): h2load, a venv with
# grpcio, Python stubs of the protos in a fresh $WORK, and a cleanup that stops every server
# whose pid is in $PIDS and removes $WORK on exit. Sets ROOT, VENV, WORK and PIDS.
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/ensure-command.sh" h2load nghttp2-client
VENV="${MLOPS_MODELS_VENV:-$ROOT/.venv-models}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "grpcio==1.81.1" "grpcio-tools==1.81.1" requests
WORK="$(mktemp -d)"
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$VENV/bin/python" -m grpc_tools.protoc -I "$ROOT/proto" --python_out="$WORK" --grpc_python_out="$WORK" \
  $(cd "$ROOT" && find proto -name '*.proto' | sed 's|^proto/||' | sort | sed "s|^|$ROOT/proto/|")
