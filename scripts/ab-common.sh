# Sourced by the A/B scripts (scripts/ab-*.sh): h2load, a venv with
# grpcio, Python stubs of the protos in a fresh $WORK, and a cleanup that stops every server
# whose pid is in $PIDS and removes $WORK on exit. Sets ROOT, VENV, WORK and PIDS, and
# defines wait_healthy (a process's HTTP status port answering) and ticks (a process's CPU).
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
wait_healthy() {  # HTTP_PORT: until the process's /healthz answers (at most 10 s)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/healthz" > /dev/null && return; sleep 0.1; done
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # PID: user + system CPU, in clock ticks
