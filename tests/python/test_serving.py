"""The inference router from Python: a registered ONNX model deployed by alias through the
gateway, predictions from grpcio and from Triton's own `tritonclient`, checked against the
outputs onnxruntime computed for the same fixture (Tests/MLOpsRuntimeTests/Fixtures, made by
scripts/runtime/make-fixtures.py)."""
import json
import os
import subprocess
import sys
import time

import grpc
import pytest

from mlops.common.v1 import common_pb2
from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
from mlops.serving.v1 import serving_pb2 as spb, serving_pb2_grpc
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc
from test_registry import ACTOR, upload

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MLOpsRuntimeTests", "Fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        return json.load(f)


@pytest.fixture(scope="module")
def deployed(platform):
    """Version 1 of `serving-churn` (the linear regression fixture), aliased `champion` and
    deployed by that alias as `churn`."""
    data = open(os.path.join(FIXTURES, "linear_regression.onnx"), "rb").read()
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        registry = registry_pb2_grpc.RegistryServiceStub(channel)
        router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
        experiment = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="serving-e2e")).experiment.experiment_id
        run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment)).run.info.run_id
        registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="serving-churn"), metadata=ACTOR)
        signature = rpb.ModelSignature(
            inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, 8])],
            outputs=[common_pb2.ColumnSchema(name="variable", type=common_pb2.VALUE_TYPE_FLOAT)])
        registry.CreateModelVersion(rpb.CreateModelVersionRequest(
            name="serving-churn", run_id=run_id, format="onnx", signature=signature), metadata=ACTOR)
        assert upload(registry, "serving-churn", 1, data).status == rpb.MODEL_VERSION_STATUS_READY
        registry.SetAlias(rpb.SetAliasRequest(name="serving-churn", alias="champion", version=1), metadata=ACTOR)
        created = router.CreateDeployment(spb.CreateDeploymentRequest(deployment=spb.Deployment(
            name="churn", variants=[spb.Variant(
                name="main", role=spb.VARIANT_ROLE_PRIMARY,
                model=common_pb2.ModelRef(model_name="serving-churn", alias="champion"))])))
        assert created.deployment.generation == 1 and created.deployment.strategy == spb.STRATEGY_SINGLE
    return fixture("linear_regression")


def test_predict_through_the_gateway_matches_onnxruntime(platform, deployed):
    inputs = deployed["inputs"][0]
    rows = [inputs["data"][i * 8:(i + 1) * 8] for i in range(inputs["shape"][0])]
    expected = deployed["outputs"][0]["data"]
    with platform.channel("gateway") as channel:
        router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
        answer = router.Predict(spb.PredictRequest(deployment="churn", instances=[
            spb.PredictInstance(features={"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=row))}) for row in rows]))
    assert (answer.variant, answer.model_name, answer.model_version) == ("main", "serving-churn", 1)
    assert len(answer.outputs) == len(expected)
    for got, want in zip(answer.outputs, expected):
        assert abs(got.values["variable"].double_value - want) < 1e-5


BAD_PREDICTIONS = [
    ("unknown deployment", spb.PredictRequest(deployment="nope"), grpc.StatusCode.NOT_FOUND, "nope"),
    ("empty request", spb.PredictRequest(deployment="churn"), grpc.StatusCode.INVALID_ARGUMENT, "instances"),
    ("missing column", spb.PredictRequest(deployment="churn", instances=[spb.PredictInstance(
        features={"Y": common_pb2.Value(double_value=1)})]), grpc.StatusCode.INVALID_ARGUMENT, "instances[0].features[X]"),
    ("wrong type", spb.PredictRequest(deployment="churn", instances=[spb.PredictInstance(
        features={"X": common_pb2.Value(string_value="a")})]), grpc.StatusCode.INVALID_ARGUMENT, "instances[0].features[X]"),
    ("wrong shape", spb.PredictRequest(deployment="churn", instances=[spb.PredictInstance(
        features={"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=[1, 2]))})]),
     grpc.StatusCode.INVALID_ARGUMENT, "takes 8 per row"),
]


@pytest.mark.parametrize("request_,code,text", [b[1:] for b in BAD_PREDICTIONS], ids=[b[0] for b in BAD_PREDICTIONS])
def test_bad_predictions_name_the_field(platform, deployed, request_, code, text):
    with platform.channel("inference-router") as channel:
        with pytest.raises(grpc.RpcError) as error:
            serving_pb2_grpc.InferenceRouterServiceStub(channel).Predict(request_, timeout=30)
    assert error.value.code() == code and text in error.value.details()


TRITON_INFER = """
import json, sys
import numpy as np
import tritonclient.grpc as triton
fixture = json.load(open(sys.argv[2]))
inputs = fixture["inputs"][0]
x = np.array(inputs["data"], dtype=np.float32).reshape(inputs["shape"])
client = triton.InferenceServerClient(url=sys.argv[1])
headers = {"authorization": "Bearer " + sys.argv[3]} if len(sys.argv) > 3 else None
assert client.is_model_ready("churn", headers=headers)
metadata = client.get_model_metadata("churn", headers=headers)
assert metadata.inputs[0].name == "X" and metadata.inputs[0].datatype == "FP32", metadata
tensor = triton.InferInput("X", list(x.shape), "FP32")
tensor.set_data_from_numpy(x)
result = client.infer("churn", [tensor], outputs=[triton.InferRequestedOutput("variable")], headers=headers)
got = result.as_numpy("variable").reshape(-1)
want = np.array(fixture["outputs"][0]["data"], dtype=np.float64).reshape(-1)
assert got.shape == want.shape, (got.shape, want.shape)
assert np.max(np.abs(got - want)) < 1e-5, np.max(np.abs(got - want))
print("ok", result.get_response().model_version)
"""


@pytest.mark.parametrize("process", ["inference-router", "gateway"])
def test_tritonclient_infers_on_a_deployment_as_onnxruntime_does(platform, deployed, process):
    # tritonclient registers its own `inference.*` protobuf symbols: it gets its own interpreter.
    result = subprocess.run(
        [sys.executable, "-c", TRITON_INFER, f"127.0.0.1:{platform.port(process)}",
         os.path.join(FIXTURES, "linear_regression.json")] + ([platform.key] if process == "gateway" else []),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok 1"


def test_deploy_and_predict_from_the_command_line(platform, deployed, tmp_path):
    created = platform.mlops("deploy", "create", "churn-cli", "--variant", "main=serving-churn@champion")
    assert created.returncode == 0, created.stderr
    assert "churn-cli (single, generation 1)" in created.stdout and "serving-churn @champion" in created.stdout
    listed = platform.mlops("deploy", "list")
    assert "churn-cli\tsingle\tgeneration 1" in listed.stdout
    inputs = deployed["inputs"][0]
    rows = [inputs["data"][i * 8:(i + 1) * 8] for i in range(inputs["shape"][0])]
    csv = tmp_path / "rows.csv"
    csv.write_text(",".join(f"f{i}" for i in range(8)) + "\n" + "\n".join(",".join(repr(v) for v in row) for row in rows) + "\n")
    predicted = platform.mlops("predict", "churn-cli", "--input", str(csv))
    assert predicted.returncode == 0, predicted.stderr
    lines = predicted.stdout.strip().splitlines()
    assert lines[0] == "variable" and len(lines) == len(rows) + 1
    for line, want in zip(lines[1:], deployed["outputs"][0]["data"]):
        assert abs(float(line) - want) < 1e-5
    assert "served by main (serving-churn version 1)" in predicted.stderr
    missing = platform.mlops("predict", "nope", "--input", str(csv))
    assert missing.returncode != 0 and "'nope' does not exist" in missing.stderr
    deleted = platform.mlops("deploy", "delete", "churn-cli")
    assert deleted.returncode == 0 and "churn-cli" not in platform.mlops("deploy", "list").stdout


def test_a_deployment_from_a_json_file_caches_answers_and_routes_by_a_request_field(platform, deployed, tmp_path):
    spec = tmp_path / "deployment.json"
    spec.write_text(json.dumps({
        "variants": [{"name": "main", "role": "VARIANT_ROLE_PRIMARY", "model": {"modelName": "serving-churn", "version": "1"}}],
        "routing": {"stickyKey": "user_id"}, "cache": {"maxEntries": "100", "ttl": "60s"}}))
    created = platform.mlops("deploy", "create", "churn-file", "--file", str(spec))
    assert created.returncode == 0, created.stderr
    assert "sticky by request field 'user_id'" in created.stdout, created.stdout
    assert "response cache: 100 answers for 60.0 s" in created.stdout
    shown = json.loads(platform.mlops("deploy", "show", "churn-file", "--json").stdout)
    assert shown["cache"] == {"maxEntries": "100", "ttl": "60s"} and shown["routing"]["stickyKey"] == "user_id"
    row = deployed["inputs"][0]["data"][:8]
    request = spb.PredictRequest(deployment="churn-file", instances=[spb.PredictInstance(features={
        "X": common_pb2.Value(double_list=common_pb2.DoubleList(values=row)), "user_id": common_pb2.Value(string_value="u-1")})])
    with platform.channel("gateway") as channel:
        router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
        first, second = router.Predict(request), router.Predict(request)
    assert (first.cached, second.cached) == (False, True)
    assert abs(second.outputs[0].values["variable"].double_value - deployed["outputs"][0]["data"][0]) < 1e-5
    updated = platform.mlops("deploy", "update", "churn-file", "--file", str(spec), "--cache-entries", "5", "--cache-ttl", "0.5")
    assert updated.returncode == 0 and "response cache: 5 answers for 0.5 s" in updated.stdout, updated.stdout + updated.stderr
    half = platform.mlops("deploy", "update", "churn-file", "--file", str(spec), "--cache-entries", "5")
    assert half.returncode != 0 and "--cache-ttl" in half.stderr
    spec.write_text("{not json")
    broken = platform.mlops("deploy", "create", "churn-broken", "--file", str(spec))
    assert broken.returncode != 0 and "is not a Deployment in protobuf JSON" in broken.stderr
    assert platform.mlops("deploy", "delete", "churn-file").returncode == 0


def test_deployments_and_a_rollout_survive_kill_9_and_reload_without_the_registry():
    import tempfile
    from conftest import BIN, free_base_port, serving
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-router-")
    base = free_base_port()
    tracker_args = [os.path.join(BIN, "tracker"), f"--port={base + 1}", f"--data-dir={data_dir}/tracker"]
    registry_args = [os.path.join(BIN, "registry"), f"--port={base + 2}", f"--data-dir={data_dir}/registry",
                     f"--tracker-address=127.0.0.1:{base + 1}"]
    router_args = [os.path.join(BIN, "inference-router"), f"--port={base + 4}", f"--data-dir={data_dir}/router",
                   f"--registry-address=127.0.0.1:{base + 2}", f"--monitor-address=127.0.0.1:{base + 5}",
                   f"--feature-server-address=127.0.0.1:{base + 3}"]
    fixture_case = fixture("logreg_binary")
    row = fixture_case["inputs"][0]["data"][:8]
    instance = spb.PredictInstance(features={"X": common_pb2.Value(double_list=common_pb2.DoubleList(values=row))})
    with serving(tracker_args, base + 1):
        with serving(registry_args, base + 2):
            with grpc.insecure_channel(f"127.0.0.1:{base + 1}") as channel:
                tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
                experiment = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="kill9")).experiment.experiment_id
                run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment)).run.info.run_id
            with grpc.insecure_channel(f"127.0.0.1:{base + 2}") as channel:
                registry = registry_pb2_grpc.RegistryServiceStub(channel)
                registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="k9"))
                signature = rpb.ModelSignature(
                    inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, 8])],
                    outputs=[common_pb2.ColumnSchema(name="output_label", type=common_pb2.VALUE_TYPE_INT64)])
                for name in ("logreg_binary.onnx", "decision_tree_classifier.onnx"):
                    version = registry.CreateModelVersion(rpb.CreateModelVersionRequest(
                        name="k9", run_id=run_id, format="onnx", signature=signature)).model_version.version
                    upload(registry, "k9", version, open(os.path.join(FIXTURES, name), "rb").read())
            with serving(router_args, base + 4, kill=True):
                with grpc.insecure_channel(f"127.0.0.1:{base + 4}") as channel:
                    router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
                    router.CreateDeployment(spb.CreateDeploymentRequest(deployment=spb.Deployment(name="single", variants=[
                        spb.Variant(name="main", model=common_pb2.ModelRef(model_name="k9", version=1))])))
                    canary = spb.Deployment(name="rollout", strategy=spb.STRATEGY_CANARY, variants=[
                        spb.Variant(name="main", role=spb.VARIANT_ROLE_PRIMARY, model=common_pb2.ModelRef(model_name="k9", version=1)),
                        spb.Variant(name="next", role=spb.VARIANT_ROLE_CANARY, model=common_pb2.ModelRef(model_name="k9", version=2))],
                        canary=spb.CanaryPolicy(step_weights=[20, 60], failure_limit=1))
                    canary.canary.interval.seconds = 3600
                    router.CreateDeployment(spb.CreateDeploymentRequest(deployment=canary))
                    paused = router.PauseRollout(spb.PauseRolloutRequest(deployment="rollout")).status
                    assert paused.phase == spb.ROLLOUT_PHASE_PAUSED and paused.canary_weight == 20
    # The registry is gone: the restarted router must serve from its own state and disk cache.
    with serving(router_args, base + 4):
        with grpc.insecure_channel(f"127.0.0.1:{base + 4}") as channel:
            router = serving_pb2_grpc.InferenceRouterServiceStub(channel)
            names = [d.name for d in router.ListDeployments(spb.ListDeploymentsRequest()).deployments]
            assert names == ["rollout", "single"]
            deadline = time.time() + 30
            answer = None
            while answer is None and time.time() < deadline:
                try:
                    answer = router.Predict(spb.PredictRequest(deployment="single", instances=[instance]), timeout=5)
                except grpc.RpcError as error:
                    assert error.code() == grpc.StatusCode.UNAVAILABLE, error
                    time.sleep(0.1)
            assert answer is not None and answer.model_version == 1
            assert answer.outputs[0].values["output_label"].int64_value == fixture_case["outputs"][0]["data"][0]
            status = router.GetRolloutStatus(spb.GetRolloutStatusRequest(deployment="rollout")).status
            assert status.phase == spb.ROLLOUT_PHASE_PAUSED and status.step == 0 and status.canary_weight == 20


def test_a_rollout_by_hand_from_the_command_line(platform, deployed):
    with platform.channel("gateway") as channel:
        canary = spb.Deployment(name="cli-canary", strategy=spb.STRATEGY_CANARY, variants=[
            spb.Variant(name="main", role=spb.VARIANT_ROLE_PRIMARY, model=common_pb2.ModelRef(model_name="serving-churn", version=1)),
            spb.Variant(name="next", role=spb.VARIANT_ROLE_CANARY, model=common_pb2.ModelRef(model_name="serving-churn", version=1))],
            canary=spb.CanaryPolicy(step_weights=[10, 50], failure_limit=1))
        canary.canary.interval.seconds = 3600
        serving_pb2_grpc.InferenceRouterServiceStub(channel).CreateDeployment(spb.CreateDeploymentRequest(deployment=canary))
    status = platform.mlops("deploy", "status", "cli-canary")
    assert "cli-canary: PROGRESSING, step 1, canary 10.0%" in status.stdout, status.stdout + status.stderr
    paused = platform.mlops("deploy", "pause", "cli-canary")
    assert "PAUSED" in paused.stdout, paused.stderr
    assert "PROGRESSING" in platform.mlops("deploy", "resume", "cli-canary").stdout
    back = platform.mlops("deploy", "rollback", "cli-canary", "-m", "latency on the canary")
    assert "ROLLEDBACK" in back.stdout.replace("_", "") and "latency on the canary" in back.stdout, back.stdout
    watched = platform.mlops("deploy", "watch", "cli-canary")
    assert watched.returncode == 0 and "ROLLEDBACK" in watched.stdout.replace("_", "")
    refused = platform.mlops("deploy", "promote", "cli-canary")
    assert refused.returncode != 0 and "ROLLED_BACK" in refused.stderr


def test_the_open_inference_rest_binding_answers_as_onnxruntime(platform, deployed):
    import requests
    base = f"http://127.0.0.1:{platform.http_port('gateway')}"
    headers = {"Authorization": f"Bearer {platform.key}"}
    assert requests.get(base + "/v2/health/live", headers=headers, timeout=30).json() == {"live": True}
    assert requests.get(base + "/v2/health/ready", headers=headers, timeout=30).json() == {"ready": True}
    metadata = requests.get(base + "/v2/models/churn", headers=headers, timeout=30).json()
    assert metadata["name"] == "churn" and metadata["inputs"][0]["name"] == "X" and metadata["inputs"][0]["datatype"] == "FP32"
    assert requests.get(base + "/v2/models/churn/ready", headers=headers, timeout=30).json()["ready"] is True
    x = deployed["inputs"][0]
    rows = [x["data"][i * 8:(i + 1) * 8] for i in range(x["shape"][0])]  # nested, as KServe's clients send it
    body = {"id": "r1", "inputs": [{"name": "X", "datatype": "FP32", "shape": x["shape"], "data": rows}]}
    answer = requests.post(base + "/v2/models/churn/infer", json=body, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert out["id"] == "r1" and out["model_name"] == "churn" and out["model_version"] == "1"
    got, want = out["outputs"][0]["data"], deployed["outputs"][0]["data"]
    assert out["outputs"][0]["name"] == "variable" and len(got) == len(want)
    assert max(abs(a - b) for a, b in zip(got, want)) < 1e-5
    assert requests.post(base + "/v2/models/churn/versions/1/infer", json=body, headers=headers, timeout=30).status_code == 200
    bad = requests.post(base + "/v2/models/churn/infer", headers=headers, timeout=30,
                        json={"inputs": [{"name": "X", "datatype": "FP32", "shape": [1, 8], "data": ["a"] * 8}]})
    assert bad.status_code == 400 and "inputs[0].data" in bad.json()["error"], bad.text
    assert requests.post(base + "/v2/models/nope/infer", json=body, headers=headers, timeout=30).status_code == 404
    assert requests.post(base + "/v2/models/churn/infer", json=body, timeout=30).status_code == 401
