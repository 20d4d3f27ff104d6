"""The platform as a Python user sees it: stubs generated from proto/, six real processes."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import grpc
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import BIN, PROCESSES, free_base_port, health_status, port_free, serving, wait_serving
from grpc.health.v1 import health_pb2
from inference import grpc_predict_v2_pb2 as oip, grpc_predict_v2_pb2_grpc as oip_grpc
from mlops.common.v1 import common_pb2
from mlops.gateway.v1 import gateway_pb2, gateway_pb2_grpc
from mlops.registry.v1 import registry_pb2, registry_pb2_grpc
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc

SERVICES = {
    "gateway": "mlops.gateway.v1.GatewayService",
    "tracker": "mlops.tracker.v1.TrackerService",
    "registry": "mlops.registry.v1.RegistryService",
    "feature-server": "mlops.features.v1.FeatureStoreService",
    "inference-router": "mlops.serving.v1.InferenceRouterService",
    "monitor": "mlops.monitor.v1.MonitorService",
}


def http_get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("name", PROCESSES)
def test_every_process_reports_serving_for_itself_and_its_service(platform, name):
    assert health_status(platform.port(name)) == health_pb2.HealthCheckResponse.SERVING
    assert health_status(platform.port(name), SERVICES[name]) == health_pb2.HealthCheckResponse.SERVING
    with pytest.raises(grpc.RpcError) as error:
        health_status(platform.port(name), "no.such.Service")
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_tracker_creates_and_reads_an_experiment(platform):
    with platform.channel("tracker") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        created = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(
            name="python-e2e", tags=[{"key": "lang", "value": "python"}])).experiment
        assert created.experiment_id
        fetched = tracker.GetExperimentByName(tracker_pb2.GetExperimentByNameRequest(name="python-e2e"))
        assert fetched.experiment == created
        with pytest.raises(grpc.RpcError) as error:
            tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="python-e2e"))
        assert error.value.code() == grpc.StatusCode.ALREADY_EXISTS
        with pytest.raises(grpc.RpcError) as error:
            tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name=""))
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "name" in error.value.details()
        raw = dict(error.value.trailing_metadata())["mlops-error-details-bin"]
        details = common_pb2.ErrorDetails.FromString(raw)
        assert [v.field for v in details.violations] == ["name"]


def test_the_gateway_forwards_every_service_from_one_address(platform):
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        created = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="via-gateway")).experiment
        oip_stub = oip_grpc.GRPCInferenceServiceStub(channel)
        assert oip_stub.ServerLive(oip.ServerLiveRequest()).live
        with pytest.raises(grpc.RpcError) as error:
            registry_pb2_grpc.RegistryServiceStub(channel).GetRegisteredModel(
                registry_pb2.GetRegisteredModelRequest(name="no-such-model"))
        assert error.value.code() == grpc.StatusCode.NOT_FOUND
        assert "'no-such-model'" in error.value.details()
    with platform.channel("tracker") as channel:
        direct = tracker_pb2_grpc.TrackerServiceStub(channel).GetExperimentByName(
            tracker_pb2.GetExperimentByNameRequest(name="via-gateway"))
        assert direct.experiment == created


def test_gateway_reports_every_process_serving(platform):
    with platform.channel("gateway") as channel:
        status = gateway_pb2_grpc.GatewayServiceStub(channel).GetPlatformStatus(gateway_pb2.GetPlatformStatusRequest())
    assert [s.name for s in status.services] == PROCESSES
    assert all(s.status == "SERVING" for s in status.services), status
    assert status.services[1].address == f"127.0.0.1:{platform.port('tracker')}"


def test_open_inference_protocol_server_calls_answer(platform):
    with platform.channel("inference-router") as channel:
        stub = oip_grpc.GRPCInferenceServiceStub(channel)
        assert stub.ServerLive(oip.ServerLiveRequest()).live
        assert stub.ServerReady(oip.ServerReadyRequest()).ready
        assert stub.ServerMetadata(oip.ServerMetadataRequest()).name == "mlops-inference-router"


TRITON_CHECK = """
import sys
import tritonclient.grpc as triton
client = triton.InferenceServerClient(url=sys.argv[1])
headers = {"authorization": "Bearer " + sys.argv[2]} if len(sys.argv) > 2 else None
assert client.is_server_live(headers=headers)
assert client.is_server_ready(headers=headers)
print(client.get_server_metadata(headers=headers).name)
"""


@pytest.mark.parametrize("process", ["inference-router", "gateway"])
def test_tritonclient_speaks_to_the_router_directly_and_through_the_gateway(platform, process):
    # tritonclient registers its own `inference.*` protobuf symbols: it gets its own interpreter.
    result = subprocess.run(
        [sys.executable, "-c", TRITON_CHECK, f"127.0.0.1:{platform.port(process)}"] + ([platform.key] if process == "gateway" else []),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "mlops-inference-router"


@pytest.mark.parametrize("name", PROCESSES)
def test_metrics_parse_and_count_calls(platform, name):
    health_status(platform.port(name))
    status, body = http_get(platform.http_port(name), "/metrics")
    assert status == 200
    families = {family.name: family for family in text_string_to_metric_families(body)}
    handled = families["grpc_server_handled"]
    ok_checks = [s.value for s in handled.samples
                 if s.labels.get("grpc_method") == "Check" and s.labels.get("grpc_code") == "OK"]
    assert ok_checks and ok_checks[0] >= 1
    assert "grpc_server_handling_seconds" in families
    assert http_get(platform.http_port(name), "/healthz") == (200, "SERVING\n")


@pytest.mark.parametrize("name", PROCESSES)
def test_metrics_pass_promtool_check(platform, name):
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package prometheus; .ci/run installs it)")
    _, body = http_get(platform.http_port(name), "/metrics")
    result = subprocess.run([promtool, "check", "metrics"], input=body, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_flag_is_a_usage_error_with_exit_2():
    result = subprocess.run([os.path.join(BIN, "tracker"), "--no-such-flag"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--no-such-flag" in result.stderr


OWN_FLAGS = {
    "tracker": ({"--artifact-root", "--max-artifact-bytes"}, {"--window-cache-mb", "--rate-limit", "--monitor-address", "--tracker-address"}),
    "registry": ({"--artifact-root", "--tracker-address"}, {"--window-cache-mb", "--auth", "--monitor-address"}),
    "feature-server": (set(), {"--artifact-root", "--window-cache-mb", "--tracker-address"}),
    "inference-router": ({"--registry-address", "--feature-server-address", "--monitor-address"}, {"--tracker-address", "--auth"}),
    "monitor": ({"--window-cache-mb", "--allow-private-webhooks", "--inference-router-address"}, {"--artifact-root", "--rate-limit"}),
    "gateway": ({"--auth", "--rate-limit", "--default-deadline", "--tracker-address", "--monitor-address"}, {"--window-cache-mb"}),
}


@pytest.mark.parametrize("name", PROCESSES)
def test_each_process_takes_only_its_own_flags(name):
    shown = subprocess.run([os.path.join(BIN, name), "--help"], capture_output=True, text=True).stdout
    own, others = OWN_FLAGS[name]
    for flag in own | {"--port", "--data-dir", "--database-url", "--log-level"}:
        assert flag in shown, (name, flag)
    for flag in others:
        assert flag not in shown, (name, flag)
        refused = subprocess.run([os.path.join(BIN, name), flag, "1"], capture_output=True, text=True)
        assert refused.returncode == 2 and flag in refused.stderr, (name, flag)


def test_second_platform_on_taken_ports_fails_naming_the_port(platform):
    data_dir = os.path.join(tempfile.mkdtemp(), "second")
    result = subprocess.run(
        [os.path.join(BIN, "mlops"), "up", f"--base-port={platform.base}", f"--data-dir={data_dir}",
         f"--bin-dir={BIN}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {platform.base}" in result.stderr and "already in use" in result.stderr
    # …and says how to start on other ports instead.
    assert f"--base-port {platform.base + 100}" in result.stderr and "MLOPS_BASE_PORT" in result.stderr
    assert not os.path.exists(data_dir)


def test_a_process_dying_at_start_stops_mlops_up_naming_it():
    blocker = tempfile.NamedTemporaryFile(delete=False)
    result = subprocess.run(
        [os.path.join(BIN, "mlops"), "up", f"--base-port={free_base_port()}", f"--data-dir={blocker.name}",
         f"--bin-dir={BIN}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "exited during start-up with status 1" in result.stderr
    assert f"{blocker.name} is not a directory" in result.stdout


def test_unusable_data_dir_fails_start_with_one_line_naming_it():
    blocker = tempfile.NamedTemporaryFile(delete=False)
    result = subprocess.run(
        [os.path.join(BIN, "monitor"), "--port=0", f"--data-dir={blocker.name}/monitor"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{blocker.name} is not a directory" in lines[0], result.stderr


def test_unreachable_database_fails_start_with_one_line():
    result = subprocess.run(
        [os.path.join(BIN, "registry"), "--port=0", "--database-url=postgres://u@127.0.0.1:1/none"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "cannot reach PostgreSQL at postgres://u@127.0.0.1:1/none" in result.stderr


def test_acknowledged_write_survives_kill_9():
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-")
    port = free_base_port() + 1
    args = [os.path.join(BIN, "tracker"), f"--port={port}", f"--data-dir={data_dir}"]
    with serving(args, port, kill=True):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
            ids = [tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name=f"exp-{i}")).experiment.experiment_id
                   for i in range(50)]
            run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=ids[0])).run.info.run_id
            for batch in range(40):
                tracker.LogBatch(tracker_pb2.LogBatchRequest(
                    run_id=run_id,
                    metrics=[tracker_pb2.Metric(key="loss", value=batch * 100 + i, step=batch * 100 + i) for i in range(100)],
                    params=[tracker_pb2.Param(key=f"p{batch}", value=str(batch))]))
    with serving(args, port):
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
            for i, experiment_id in enumerate(ids):
                got = tracker.GetExperiment(tracker_pb2.GetExperimentRequest(experiment_id=experiment_id))
                assert got.experiment.name == f"exp-{i}"
            run = tracker.GetRun(tracker_pb2.GetRunRequest(run_id=run_id)).run
            assert len(run.data.params) == 40
            assert [m.value for m in run.data.metrics] == [3999.0]
            history = tracker.GetMetricHistory(tracker_pb2.GetMetricHistoryRequest(run_id=run_id, metric_key="loss"))
            assert [m.step for m in history.metrics] == list(range(4000))


def test_sigint_stops_every_process_and_frees_the_ports():
    base = free_base_port()
    data_dir = tempfile.mkdtemp(prefix="mlops-stop-")
    up = subprocess.Popen(
        [os.path.join(BIN, "mlops"), "up", f"--base-port={base}", f"--data-dir={data_dir}", f"--bin-dir={BIN}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    deadline = time.time() + 120
    while time.time() < deadline:
        line = up.stdout.readline()
        assert line, "mlops up ended before it was up:\n" + "".join(seen)
        seen.append(line)
        if line.startswith("mlops is up"):
            break
    up.send_signal(signal.SIGINT)
    rest, _ = up.communicate(timeout=60)
    output = "".join(seen) + rest
    assert up.returncode == 0, output
    assert "gateway          | " in output
    assert "stopped" in rest
    assert all(port_free(base + i) for i in range(6))
    assert all(os.path.exists(os.path.join(data_dir, name, f"{name}.sqlite")) for name in PROCESSES)


def test_killing_mlops_up_does_not_leave_orphans():
    base = free_base_port()
    data_dir = tempfile.mkdtemp(prefix="mlops-orphans-")
    up = subprocess.Popen(
        [os.path.join(BIN, "mlops"), "up", f"--base-port={base}", f"--data-dir={data_dir}", f"--bin-dir={BIN}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i in range(6):
        wait_serving(base + i)
    up.send_signal(signal.SIGKILL)
    up.wait()
    deadline = time.time() + 30
    while time.time() < deadline and not all(port_free(base + i) for i in range(6)):
        time.sleep(0.2)
    assert all(port_free(base + i) for i in range(6)), "processes outlived their launcher"


def child_pid(parent, name):
    """The pid of `parent`'s child process running the executable `name`."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                executable = f.read().split(b"\0")[0].decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and os.path.basename(executable) == name:
            return int(entry)
    return None


def test_a_crashed_process_is_started_again_while_the_others_keep_serving():
    base = free_base_port()
    data_dir = tempfile.mkdtemp(prefix="mlops-restart-")
    log_path = os.path.join(data_dir, "up.log")
    with open(log_path, "w") as log:
        up = subprocess.Popen(
            [os.path.join(BIN, "mlops"), "up", f"--base-port={base}", f"--data-dir={data_dir}", f"--bin-dir={BIN}"],
            stdout=log, stderr=subprocess.STDOUT)
    try:
        for i in range(6):
            wait_serving(base + i)
        # Until the launcher has seen all six serving, an exit is a failed start-up.
        deadline = time.time() + 30
        while time.time() < deadline and "mlops is up" not in open(log_path).read():
            time.sleep(0.1)
        monitor = child_pid(up.pid, "monitor")
        assert monitor is not None
        os.kill(monitor, signal.SIGKILL)
        # The others keep serving while the monitor is down and coming back.
        assert health_status(base + PROCESSES.index("tracker")) == health_pb2.HealthCheckResponse.SERVING
        wait_serving(base + PROCESSES.index("monitor"), timeout=30)
        assert up.poll() is None, "mlops up stopped the platform"
        restarted = child_pid(up.pid, "monitor")
        assert restarted is not None and restarted != monitor
        for i in range(6):
            assert health_status(base + i) == health_pb2.HealthCheckResponse.SERVING
        with open(log_path) as f:
            text = f.read()
        assert "monitor was killed by signal 9; starting it again" in text, text[-2000:]
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)
