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


class Platform:
    def __init__(self, base, data_dir, process):
        self.base = base
        self.data_dir = data_dir
        self.process = process

    def port(self, name):
        return self.base + PROCESSES.index(name)

    def http_port(self, name):
        return self.port(name) + 1000

    def channel(self, name):
        return grpc.insecure_channel(f"127.0.0.1:{self.port(name)}")

    def mlops(self, *args):
        """Runs the `mlops` CLI against this platform's gateway."""
        return subprocess.run([os.path.join(BIN, "mlops"), *args, f"--base-port={self.base}"],
                              capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def platform():
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
