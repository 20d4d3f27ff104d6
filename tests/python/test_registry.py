"""The registry from Python through the gateway: a model registered from a tracker run (the
registry checks the run with the tracker process over gRPC), its ONNX artifact checked by the
platform runtime, an alias resolved, the bytes downloaded intact, the audit trail kept."""
import hashlib
import os

import grpc
import pytest

from mlops.common.v1 import common_pb2
from mlops.registry.v1 import registry_pb2 as rpb, registry_pb2_grpc
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MLOpsRuntimeTests", "Fixtures", "logreg_binary.onnx")
# A client's own claim of identity: the gateway replaces it with its key's name.
ACTOR = (("x-mlops-actor", "mallory"),)


def upload(registry, name, version, data):
    def messages():
        yield rpb.UploadModelArtifactRequest(header=rpb.ModelArtifactHeader(
            name=name, version=version, expected_sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data)))
        for offset in range(0, len(data), 200):
            yield rpb.UploadModelArtifactRequest(chunk=data[offset:offset + 200])
    return registry.UploadModelArtifact(messages(), metadata=ACTOR).model_version


def test_register_a_model_from_a_run_and_serve_it_by_alias(platform):
    data = open(FIXTURE, "rb").read()
    # The gateway sets the caller's identity from the key ("ana"), whatever x-mlops-actor says.
    with platform.channel("gateway", key=platform.key_for("ana", "deployer")) as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        registry = registry_pb2_grpc.RegistryServiceStub(channel)
        experiment = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="registry-e2e")).experiment.experiment_id
        run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment)).run.info.run_id
        tracker.LogMetric(tracker_pb2.LogMetricRequest(run_id=run_id, key="auc", value=0.93, step=1))

        registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="fraud"), metadata=ACTOR)
        signature = rpb.ModelSignature(
            inputs=[common_pb2.ColumnSchema(name="X", type=common_pb2.VALUE_TYPE_FLOAT, shape=[-1, 8])],
            outputs=[common_pb2.ColumnSchema(name="output_label", type=common_pb2.VALUE_TYPE_INT64)])
        version = registry.CreateModelVersion(
            rpb.CreateModelVersionRequest(name="fraud", run_id=run_id, format="onnx", signature=signature), metadata=ACTOR).model_version
        assert version.version == 1 and version.status == rpb.MODEL_VERSION_STATUS_PENDING_REGISTRATION
        assert dict(version.run_metrics) == {"auc": 0.93}

        ready = upload(registry, "fraud", 1, data)
        assert ready.status == rpb.MODEL_VERSION_STATUS_READY and ready.content_digest == hashlib.sha256(data).hexdigest()
        registry.SetAlias(rpb.SetAliasRequest(name="fraud", alias="champion", version=1), metadata=ACTOR)
        champion = registry.GetModelVersionByAlias(rpb.GetModelVersionByAliasRequest(name="fraud", alias="champion")).model_version
        assert champion.version == 1 and list(champion.aliases) == ["champion"]

        parts = list(registry.DownloadModelArtifact(rpb.DownloadModelArtifactRequest(name="fraud", version=1)))
        assert parts[0].header.expected_sha256 == ready.content_digest
        assert b"".join(p.chunk for p in parts[1:]) == data

        events = registry.ListAuditEvents(rpb.ListAuditEventsRequest(model_name="fraud")).events
        assert [(e.action, e.actor) for e in events] == [
            ("CreateRegisteredModel", "ana"), ("CreateModelVersion", "ana"), ("UploadModelArtifact", "ana"), ("SetAlias", "ana")]

        with pytest.raises(grpc.RpcError) as error:
            registry.CreateModelVersion(rpb.CreateModelVersionRequest(name="fraud", run_id="no-such-run", format="onnx"))
        assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "run_id" in error.value.details()



def test_the_model_lifecycle_from_the_command_line(platform, tmp_path):
    with platform.channel("gateway") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        experiment = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="registry-cli")).experiment.experiment_id
        run_id = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment)).run.info.run_id
    signature = tmp_path / "sig.json"
    signature.write_text('{"inputs": [{"name": "X", "type": "float", "shape": [-1, 8]}], "outputs": [{"name": "output_label", "type": "int64"}]}')

    ana, bo = platform.key_for("ana", "deployer"), platform.key_for("bo", "editor")
    registered = platform.mlops("models", "register", "cli-model", "--run", run_id, "--file", FIXTURE,
                       "--signature", str(signature), key=ana)
    assert registered.returncode == 0, registered.stderr
    assert "cli-model version 1 READY" in registered.stdout
    assert platform.mlops("models", "alias", "cli-model", "champion", "1", key=ana).returncode == 0
    assert platform.mlops("models", "stage", "cli-model", "1", "Production", key=ana).returncode == 0
    # An editor may review, not move stages; `--as` claims nothing the key does not say.
    refused = platform.mlops("models", "stage", "cli-model", "1", "Archived", key=bo)
    assert refused.returncode != 0 and "needs the deployer role" in refused.stderr
    reviewed = platform.mlops("models", "review", "cli-model", "1", "--approve", "-m", "ok", "--as", "mallory", key=bo)
    assert "APPROVED" in reviewed.stdout, reviewed.stderr
    listed = platform.mlops("models", "list", "--filter", "name LIKE 'cli-%'")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["MODEL", "cli-model"], listed.stderr
    shown = platform.mlops("models", "show", "cli-model")
    assert "champion → 1" in shown.stdout and "Production" in shown.stdout
    out = tmp_path / "model.onnx"
    downloaded = platform.mlops("models", "download", "cli-model", "1", "--output", str(out))
    assert downloaded.returncode == 0, downloaded.stderr
    assert out.read_bytes() == open(FIXTURE, "rb").read()
    audit = platform.mlops("audit", "--model", "cli-model")
    actions = [line.split()[3] for line in audit.stdout.splitlines()]
    assert actions == ["CreateRegisteredModel", "CreateModelVersion", "UploadModelArtifact", "SetAlias", "TransitionStage", "ReviewModelVersion"]
    assert [line.split()[2] for line in audit.stdout.splitlines()] == ["ana"] * 5 + ["bo"]

    bad = platform.mlops("models", "register", "cli-model", "--run", "no-such-run", "--file", FIXTURE)
    assert bad.returncode == 1 and "run_id" in bad.stderr


def test_acknowledged_registration_survives_kill_9():
    import tempfile
    from conftest import BIN, free_base_port, serving
    data_dir = tempfile.mkdtemp(prefix="mlops-kill9-registry-")
    base = free_base_port()
    tracker_args = [os.path.join(BIN, "tracker"), f"--port={base + 1}", f"--data-dir={data_dir}/tracker"]
    registry_args = [os.path.join(BIN, "registry"), f"--port={base + 2}", f"--data-dir={data_dir}/registry",
                     f"--tracker-address=127.0.0.1:{base + 1}"]
    data = open(FIXTURE, "rb").read()
    with serving(tracker_args, base + 1):
        with serving(registry_args, base + 2, kill=True):
            with grpc.insecure_channel(f"127.0.0.1:{base + 1}") as channel:
                t = tracker_pb2_grpc.TrackerServiceStub(channel)
                experiment = t.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="kill9")).experiment.experiment_id
                run_id = t.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment)).run.info.run_id
            with grpc.insecure_channel(f"127.0.0.1:{base + 2}") as channel:
                registry = registry_pb2_grpc.RegistryServiceStub(channel)
                registry.CreateRegisteredModel(rpb.CreateRegisteredModelRequest(name="durable"), metadata=ACTOR)
                for _ in range(3):
                    registry.CreateModelVersion(rpb.CreateModelVersionRequest(name="durable", run_id=run_id, format="onnx"), metadata=ACTOR)
                ready = upload(registry, "durable", 2, data)
                registry.SetAlias(rpb.SetAliasRequest(name="durable", alias="champion", version=2), metadata=ACTOR)
        with serving(registry_args, base + 2):
            with grpc.insecure_channel(f"127.0.0.1:{base + 2}") as channel:
                registry = registry_pb2_grpc.RegistryServiceStub(channel)
                champion = registry.GetModelVersionByAlias(rpb.GetModelVersionByAliasRequest(name="durable", alias="champion")).model_version
                assert champion.version == 2 and champion.content_digest == ready.content_digest
                parts = list(registry.DownloadModelArtifact(rpb.DownloadModelArtifactRequest(name="durable", version=2)))
                assert b"".join(p.chunk for p in parts[1:]) == data
                assert len(registry.ListAuditEvents(rpb.ListAuditEventsRequest(model_name="durable")).events) == 6
                next_version = registry.CreateModelVersion(
                    rpb.CreateModelVersionRequest(name="durable", run_id=run_id, format="onnx")).model_version.version
                assert next_version == 4
