"""The gateway relays unary calls on its event loops over its own connections to each peer (on
the nghttp2 transport): a peer killed with -9 behind it must fail calls quickly, naming the
peer, and calls must flow again once it is back, with nothing acknowledged lost."""
import os
import signal
import subprocess
import tempfile
import time

import grpc

from conftest import BIN, free_base_port, wait_serving
from mlops.tracker.v1 import tracker_pb2 as tpb, tracker_pb2_grpc


def start_tracker(port, data):
    return subprocess.Popen([os.path.join(BIN, "tracker"), f"--port={port}", f"--data-dir={data}", "--log-level=warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_peer_killed_and_restarted_behind_the_gateway():
    base = free_base_port()
    data = tempfile.mkdtemp(prefix="mlops-relay-")
    tracker = start_tracker(base + 1, os.path.join(data, "tracker"))
    # The gateway after its peer: started first, its ordinary client could be backing off from a
    # refused connect when the first call comes (UNAVAILABLE at once, by design).
    wait_serving(base + 1)
    gateway = subprocess.Popen(
        [os.path.join(BIN, "gateway"), f"--port={base}", "--auth=off", "--log-level=warning",
         f"--data-dir={os.path.join(data, 'gateway')}", f"--tracker-address=127.0.0.1:{base + 1}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_serving(base)
        with grpc.insecure_channel(f"127.0.0.1:{base}") as channel:
            stub = tracker_pb2_grpc.TrackerServiceStub(channel)
            created = stub.CreateExperiment(tpb.CreateExperimentRequest(name="relay"), timeout=30).experiment
            # Enough calls on this connection for the gateway's own connection to the tracker to
            # open and carry them.
            for _ in range(200):
                assert stub.GetExperiment(tpb.GetExperimentRequest(experiment_id=created.experiment_id), timeout=30).experiment.name == "relay"

            tracker.send_signal(signal.SIGKILL)
            tracker.wait()
            started = time.time()
            try:
                stub.GetExperiment(tpb.GetExperimentRequest(experiment_id=created.experiment_id), timeout=30)
                raise AssertionError("answered with the tracker dead")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.UNAVAILABLE, error
                assert f"tracker at 127.0.0.1:{base + 1}" in error.details(), error.details()
            assert time.time() - started < 10, "a dead peer must fail calls at once, not at their deadline"

            tracker = start_tracker(base + 1, os.path.join(data, "tracker"))
            wait_serving(base + 1)
            deadline = time.time() + 30
            while True:
                try:
                    found = stub.GetExperiment(tpb.GetExperimentRequest(experiment_id=created.experiment_id), timeout=5).experiment
                    break
                except grpc.RpcError as error:
                    assert error.code() == grpc.StatusCode.UNAVAILABLE and time.time() < deadline, error
                    time.sleep(0.1)
            assert found.name == "relay", "the acknowledged experiment survived the kill"
            for _ in range(200):
                assert stub.GetExperiment(tpb.GetExperimentRequest(experiment_id=created.experiment_id), timeout=30).experiment.name == "relay"
    finally:
        for process in (gateway, tracker):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
