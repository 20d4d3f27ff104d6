"""Shared fixtures: generated stubs on sys.path, free ports, and a real `mlops up` platform."""
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import grpc
import pytest

GEN = os.environ["MLOPS_PY_GEN"]
BIN = os.environ["MLOPS_BIN_DIR"]
sys.path.insert(0, GEN)
# proto/grpc/health/v1/health.proto generates the package `grpc.health.v1`, inside grpcio's own
# `grpc` package: let that package also look in the generated tree.
grpc.__path__.append(os.path.join(GEN, "grpc"))

from grpc.health.v1 import health_pb2, health_pb2_grpc  # noqa: E402

PROCESSES = ["gateway", "tracker", "registry", "feature-server", "inference-router", "monitor"]


def free_base_port():
    """A base port whose six gRPC ports and six HTTP ports (+1000) are all free."""
    for base in range(17000, 19000, 10):
        ports = [base + i for i in range(6)] + [base + 1000 + i for i in range(6)]
        if all(port_free(p) for p in ports):
            return base
    raise RuntimeError("no free port range")


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def health_status(port, service=""):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        return stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=2).status


def wait_serving(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if health_status(port) == health_pb2.HealthCheckResponse.SERVING:
                return
        except grpc.RpcError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"port {port} not serving after {timeout}s")


@contextlib.contextmanager
def serving(args, port, kill=False):
    """Runs one process for the block, serving on `port`; ends it with SIGKILL when `kill`
    (nothing flushed, nothing drained), else with a graceful stop."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_serving(port)
        yield process
    finally:
        if kill:
            process.send_signal(signal.SIGKILL)
            process.wait()
        else:
            process.terminate()
            process.wait(timeout=30)


class ApiKey(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
             grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <key>` to every call, as a Python user of the gateway does."""

    def __init__(self, key):
        self.header = ("authorization", f"Bearer {key}")

    def _details(self, details):
        metadata = [m for m in (details.metadata or []) if m[0] != "authorization"] + [self.header]
        return details._replace(metadata=metadata) if hasattr(details, "_replace") else _CallDetails(details, metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, iterator):
        return continuation(self._details(details), iterator)

    def intercept_stream_stream(self, continuation, details, iterator):
        return continuation(self._details(details), iterator)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, metadata):
        self.method = details.method
        self.timeout = details.timeout
        self.metadata = metadata
        self.credentials = details.credentials
        self.wait_for_ready = getattr(details, "wait_for_ready", None)
        self.compression = getattr(details, "compression", None)


def admin_key(data_dir, timeout=30):
    """The admin API key the gateway of `mlops up` wrote under its data dir."""
    path = os.path.join(data_dir, "gateway", "admin.key")
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                key = f.read().strip()
            if key:
                return key
        time.sleep(0.1)
    raise TimeoutError(f"no admin key at {path}")


class Platform:
    def __init__(self, base, data_dir, process):
        self.base = base
        self.data_dir = data_dir
        self.process = process
        self.key = admin_key(data_dir)

    def port(self, name):
        return self.base + PROCESSES.index(name)

    def http_port(self, name):
        return self.port(name) + 1000

    def channel(self, name, key=None):
        """A channel to one process; the gateway's carries the admin key (or `key`)."""
        channel = grpc.insecure_channel(f"127.0.0.1:{self.port(name)}")
        if name != "gateway":
            return channel
        return grpc.intercept_channel(channel, ApiKey(key or self.key))

    def key_for(self, name, role):
        """A key named `name` with `role` ("viewer"…"admin"), made once through the admin key."""
        from mlops.gateway.v1 import gateway_pb2, gateway_pb2_grpc
        cache = self.__dict__.setdefault("_keys", {})
        if (name, role) not in cache:
            with self.channel("gateway") as channel:
                made = gateway_pb2_grpc.GatewayServiceStub(channel).CreateApiKey(gateway_pb2.CreateApiKeyRequest(
                    name=name, role=gateway_pb2.Role.Value("ROLE_" + role.upper())))
            cache[(name, role)] = made.secret
        return cache[(name, role)]

    def bare_channel(self, name):
        """A channel without any key."""
        return grpc.insecure_channel(f"127.0.0.1:{self.port(name)}")

    def mlops(self, *args, key=None):
        """Runs the `mlops` CLI against this platform's gateway, with the admin key."""
        environment = dict(os.environ, MLOPS_API_KEY=key or self.key)
        return subprocess.run([os.path.join(BIN, "mlops"), *args, f"--base-port={self.base}"],
                              capture_output=True, text=True, timeout=120, env=environment)


@contextlib.contextmanager
def started_platform():
    """A `mlops up` of its own on free ports, stopped on exit: for tests whose changes (a
    default deployment policy) would leak into others sharing the session's platform."""
    base = free_base_port()
    data_dir = tempfile.mkdtemp(prefix="mlops-e2e-")
    log = open(os.path.join(data_dir, "up.log"), "w")
    process = subprocess.Popen(
        [os.path.join(BIN, "mlops"), "up", f"--base-port={base}", f"--data-dir={data_dir}",
         f"--bin-dir={BIN}"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        for name in PROCESSES:
            wait_serving(base + PROCESSES.index(name))
        yield Platform(base, data_dir, process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.fixture(scope="session")
def platform():
    with started_platform() as started:
        yield started
