"""Every unary RPC as JSON over HTTP (issue #28): `POST /v1/<package.Service>/<Method>` on the
gateway's HTTP port, protobuf's canonical JSON both ways, the gRPC call's key check and errors."""
import base64
import json
import uuid

import requests


def call(platform, method, body, key="admin"):
    headers = {} if key is None else {"Authorization": f"Bearer {platform.key if key == 'admin' else key}"}
    return requests.post(f"http://127.0.0.1:{platform.http_port('gateway')}/v1/{method}", json=body, headers=headers, timeout=30)


def test_a_tracker_and_registry_round_trip_in_json(platform):
    name = f"json-{uuid.uuid4().hex[:8]}"
    created = call(platform, "mlops.tracker.v1.TrackerService/CreateExperiment", {"name": name, "tags": [{"key": "k", "value": "v"}]})
    assert created.status_code == 200, created.text
    experiment = created.json()["experiment"]
    assert experiment["name"] == name and experiment["tags"] == [{"key": "k", "value": "v"}]
    got = call(platform, "mlops.tracker.v1.TrackerService/GetExperimentByName", {"name": name}).json()["experiment"]
    assert got["experimentId"] == experiment["experimentId"]
    run = call(platform, "mlops.tracker.v1.TrackerService/CreateRun", {"experimentId": experiment["experimentId"], "runName": "r"}).json()
    run_id = run["run"]["info"]["runId"]
    logged = call(platform, "mlops.tracker.v1.TrackerService/LogBatch",
                  {"runId": run_id, "metrics": [{"key": "auc", "value": 0.9, "step": "3"}], "params": [{"key": "p", "value": "1"}]})
    assert logged.status_code == 200 and logged.json() == {}
    data = call(platform, "mlops.tracker.v1.TrackerService/GetRun", {"run_id": run_id}).json()["run"]["data"]
    assert data["metrics"][0]["value"] == 0.9 and data["metrics"][0]["step"] == "3" and data["params"] == [{"key": "p", "value": "1"}]
    model = call(platform, "mlops.registry.v1.RegistryService/CreateRegisteredModel", {"name": name}).json()
    assert model["registeredModel"]["name"] == name


def test_errors_carry_the_grpc_code_the_http_status_and_the_field(platform):
    missing = call(platform, "mlops.tracker.v1.TrackerService/GetRun", {"runId": "nope"})
    assert missing.status_code == 404 and missing.json()["code"] == 5 and missing.json()["status"] == "NOT_FOUND"
    bad = call(platform, "mlops.tracker.v1.TrackerService/CreateExperiment", {"name": ""})
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "name", bad.text
    wrong_shape = call(platform, "mlops.tracker.v1.TrackerService/CreateExperiment", {"nmae": "x"})
    assert wrong_shape.status_code == 400 and "body" in wrong_shape.json()["message"]
    unknown = call(platform, "mlops.tracker.v1.TrackerService/Nope", {})
    assert unknown.status_code == 501 and unknown.json()["code"] == 12
    anonymous = call(platform, "mlops.tracker.v1.TrackerService/SearchExperiments", {}, key=None)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 16
    viewer = platform.key_for("json-viewer", "viewer")
    assert call(platform, "mlops.tracker.v1.TrackerService/SearchExperiments", {}, key=viewer).status_code == 200
    denied = call(platform, "mlops.tracker.v1.TrackerService/CreateExperiment", {"name": "x"}, key=viewer)
    assert denied.status_code == 403 and "editor" in denied.json()["message"]


def stream(platform, method, lines):
    body = "".join(json.dumps(line) + "\n" for line in lines)
    return requests.post(f"http://127.0.0.1:{platform.http_port('gateway')}/v1/{method}", data=body,
                         headers={"Authorization": f"Bearer {platform.key}"}, timeout=30)


def test_streaming_rpcs_take_and_give_newline_delimited_json(platform):
    tracker = "mlops.tracker.v1.TrackerService"
    experiment = call(platform, f"{tracker}/CreateExperiment", {"name": f"ndjson-{uuid.uuid4().hex[:8]}"}).json()["experiment"]
    run_id = call(platform, f"{tracker}/CreateRun", {"experimentId": experiment["experimentId"]}).json()["run"]["info"]["runId"]
    uploaded = stream(platform, f"{tracker}/UploadArtifact", [
        {"header": {"runId": run_id, "path": "notes/hello.txt"}},
        {"chunk": base64.b64encode(b"hello ").decode()}, {"chunk": base64.b64encode(b"world").decode()}])
    assert uploaded.status_code == 200 and uploaded.headers["content-type"] == "application/x-ndjson", uploaded.text
    file = json.loads(uploaded.text.splitlines()[0])["result"]["file"]
    assert file["path"] == "notes/hello.txt" and file["sizeBytes"] == "11"
    downloaded = stream(platform, f"{tracker}/DownloadArtifact", [{"runId": run_id, "path": "notes/hello.txt"}])
    parts = [json.loads(line)["result"] for line in downloaded.text.splitlines()]
    assert parts[0]["info"]["sha256"] == file["sha256"]
    assert b"".join(base64.b64decode(p["chunk"]) for p in parts[1:]) == b"hello world"
    for step in range(3):
        call(platform, f"{tracker}/LogMetric", {"runId": run_id, "key": "loss", "value": 1.0 / (step + 1), "step": str(step)})
    call(platform, f"{tracker}/UpdateRun", {"runId": run_id, "status": "RUN_STATUS_FINISHED"})
    watched = stream(platform, f"{tracker}/WatchRunMetrics", [{"runId": run_id}])
    points = [json.loads(line)["result"]["metric"] for line in watched.text.splitlines()]
    assert [p.get("step", "0") for p in points] == ["0", "1", "2"] and points[2]["value"] == 1.0 / 3
    missing = stream(platform, f"{tracker}/DownloadArtifact", [{"runId": run_id, "path": "nope.txt"}])
    assert missing.status_code == 404 and missing.json()["status"] == "NOT_FOUND"
    bad = stream(platform, f"{tracker}/UploadArtifact", [{"header": {"runId": run_id, "path": "x"}}, {"nonsense": 1}])
    assert bad.status_code == 400 and "line 2" in bad.json()["message"], bad.text
