"""The Python SDK (clients/python, installed with pip as a user would) against `mlops up`
through the gateway with auth on: every area's methods, with results checked against what the
platform stores and against onnxruntime's outputs for the same model (the runtime fixtures)."""
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import mlops
from mlops import Client
from mlops.serving.v1 import serving_pb2 as spb
from mlops.tracker.v1 import tracker_pb2 as tpb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "MLOpsRuntimeTests", "Fixtures")
SDK = os.path.join(ROOT, "clients", "python")


@pytest.fixture(scope="module")
def client(platform):
    with Client(f"127.0.0.1:{platform.base}", api_key=platform.key) as made:
        yield made


def linear_fixture():
    with open(os.path.join(FIXTURES, "linear_regression.json")) as f:
        reference = json.load(f)
    x = np.array(reference["inputs"][0]["data"], dtype=np.float64).reshape(reference["inputs"][0]["shape"])
    return x, np.array(reference["outputs"][0]["data"], dtype=np.float64)


def test_the_sdk_is_the_installed_package_not_the_test_stubs():
    assert os.path.dirname(mlops.__file__).endswith(os.path.join("site-packages", "mlops")), mlops.__file__


def test_a_run_records_params_metrics_tags_and_an_artifact_and_ends_finished(client, tmp_path):
    artifact = tmp_path / "notes.txt"
    artifact.write_text("trained on 2026-12 data\n")
    with client.start_run("sdk-runs", run_name="first", tags={"team": "churn"}) as run:
        run.log_params({"depth": 8, "lr": 0.1})
        run.set_tags({"stage": "baseline"})
        for step, loss in enumerate([0.9, 0.5, 0.3]):
            run.log_metrics({"loss": loss, "acc": 1 - loss}, step=step)
        info = run.log_artifact(artifact, artifact_path="docs")
    assert info.path == "docs/notes.txt" and info.size_bytes == artifact.stat().st_size
    stored = client.get_run(run.id)
    assert stored.info.status == tpb.RUN_STATUS_FINISHED and stored.info.end_time.seconds > 0
    assert {p.key: p.value for p in stored.data.params} == {"depth": "8", "lr": "0.1"}
    assert {m.key: m.value for m in stored.data.metrics} == {"loss": 0.3, "acc": pytest.approx(0.7)}
    tags = {t.key: t.value for t in stored.data.tags}
    assert tags["team"] == "churn" and tags["stage"] == "baseline"
    history = client.metric_history(run.id, "loss")
    assert history["step"].tolist() == [0, 1, 2] and history["value"].tolist() == [0.9, 0.5, 0.3]


def test_a_run_whose_block_raises_ends_failed_and_the_error_propagates(client):
    with pytest.raises(RuntimeError, match="diverged"):
        with client.start_run("sdk-runs", run_name="broken") as run:
            run.log_metric("loss", float("nan"))
            raise RuntimeError("diverged")
    assert client.get_run(run.id).info.status == tpb.RUN_STATUS_FAILED


def test_search_runs_gives_mlflow_shaped_rows(client):
    with client.start_run("sdk-search") as low:
        low.log_metrics({"auc": 0.7})
    with client.start_run("sdk-search") as high:
        high.log_metrics({"auc": 0.9})
        high.log_params({"model": "forest"})
    found = client.search_runs("sdk-search", filter="metrics.auc > 0.5", order_by=["metrics.auc DESC"])
    assert found["run_id"].tolist() == [high.id, low.id]
    assert found["metrics.auc"].tolist() == [0.9, 0.7] and found.loc[0, "params.model"] == "forest"
    assert set(found["status"]) == {"FINISHED"}


def test_errors_are_exception_classes_carrying_the_field_violations(client, platform):
    with pytest.raises(mlops.NotFound):
        client.get_run("0" * 32)
    with pytest.raises(mlops.InvalidArgument) as bad:
        client.deployments.create_from(spb.Deployment(name="sdk-nothing"))
    assert bad.value.violations and all(v.field.startswith("deployment") for v in bad.value.violations), bad.value
    assert "deployment" in str(bad.value)
    with Client(f"127.0.0.1:{platform.base}", api_key="") as anonymous:
        with pytest.raises(mlops.Unauthenticated):
            anonymous.deployments.list()
    with Client(f"127.0.0.1:{platform.base}", api_key=platform.key_for("sdk-viewer", "viewer")) as viewer:
        with pytest.raises(mlops.PermissionDenied):
            viewer.start_run("sdk-runs")


@pytest.fixture(scope="module")
def registered(client):
    """Version 1 of `sdk-linear` (the linear-regression fixture) registered from a run."""
    with client.start_run("sdk-models") as run:
        run.log_metrics({"rmse": 0.12})
    signature = mlops.signature(inputs={"X": ("float", [-1, 8])}, outputs={"variable": "float"})
    version = client.models.register("sdk-linear", os.path.join(FIXTURES, "linear_regression.onnx"), run_id=run.id, signature=signature)
    return version


def test_register_alias_review_and_stage_a_version(client, registered):
    assert registered.version == 1 and registered.status == mlops.registry.v1.registry_pb2.MODEL_VERSION_STATUS_READY
    assert registered.run_metrics["rmse"] == 0.12
    client.models.alias("sdk-linear", "champion", 1)
    assert client.models.get("sdk-linear", alias="champion").version == 1
    reviewed = client.models.review("sdk-linear", 1, approve=True, comment="looks right")
    assert reviewed.review_state == mlops.registry.v1.registry_pb2.REVIEW_STATE_APPROVED
    staged = client.models.stage("sdk-linear", 1, "production")
    assert staged.stage == mlops.registry.v1.registry_pb2.STAGE_PRODUCTION
    assert [v.version for v in client.models.versions("sdk-linear")] == [1]
    with pytest.raises(ValueError):
        client.models.get("sdk-linear")


def test_a_bad_signature_is_refused_naming_the_field(client):
    with client.start_run("sdk-models") as run:
        pass
    wrong = mlops.signature(inputs={"X": ("float", [-1, 3])}, outputs={"variable": "float"})
    with pytest.raises((mlops.InvalidArgument, mlops.FailedPrecondition)) as refused:
        client.models.register("sdk-wrong", os.path.join(FIXTURES, "linear_regression.onnx"), run_id=run.id, signature=wrong)
    assert "signature" in str(refused.value) or "shape" in str(refused.value), refused.value


def test_deploy_by_alias_and_predict_matches_onnxruntime(client, registered):
    client.models.alias("sdk-linear", "live", registered.version)
    deployment = client.deployments.create("sdk-linear", "sdk-linear", alias="live")
    assert deployment.generation == 1
    x, expected = linear_fixture()
    answer = client.deployments.predict("sdk-linear", {"X": x})
    assert answer.variant == "main" and answer.model_version == 1 and answer.request_id
    np.testing.assert_allclose(answer.outputs["variable"].to_numpy(dtype=float), expected, rtol=1e-5, atol=1e-5)
    frame = pd.DataFrame({"X": list(x[:3])})
    again = client.deployments.predict("sdk-linear", frame)
    np.testing.assert_allclose(again.outputs["variable"].to_numpy(dtype=float), expected[:3], rtol=1e-5, atol=1e-5)
    with pytest.raises(mlops.InvalidArgument) as bad:
        client.deployments.predict("sdk-linear", [{"X": [1.0, 2.0]}])
    assert "X" in str(bad.value)
    assert "sdk-linear" in [d.name for d in client.deployments.list()]
    lineage = client.lineage("sdk-linear")
    assert [(v.variant, v.model_version, v.run_metrics["rmse"]) for v in lineage.variants] == [("main", 1, 0.12)]


def test_status_names_every_process_serving(client):
    assert client.status() == {name: "SERVING" for name in
                               ["gateway", "tracker", "registry", "feature-server", "inference-router", "monitor"]}


def test_a_canary_rollout_shows_its_status_rolls_back_and_is_promoted_by_hand(client, registered):
    with client.start_run("sdk-models") as run:
        pass
    signature = mlops.signature(inputs={"X": ("float", [-1, 8])}, outputs={"variable": "float"})
    second = client.models.register("sdk-linear", os.path.join(FIXTURES, "linear_regression.onnx"), run_id=run.id, signature=signature)
    client.deployments.create("sdk-canary", "sdk-linear", version=registered.version)
    updated = client.deployments.canary("sdk-canary", "sdk-linear", version=second.version, steps=[20, 60], interval=timedelta(hours=1))
    assert [v.role for v in updated.variants] == [spb.VARIANT_ROLE_PRIMARY, spb.VARIANT_ROLE_CANARY]
    first = next(client.deployments.watch("sdk-canary", timeout=30))
    assert first.phase == spb.ROLLOUT_PHASE_PROGRESSING and first.canary_weight == 20
    assert client.deployments.rollback("sdk-canary", reason="sdk test").phase == spb.ROLLOUT_PHASE_ROLLED_BACK
    assert client.deployments.status("sdk-canary").canary_weight == 0
    client.deployments.canary("sdk-canary", "sdk-linear", version=second.version, steps=[20, 60], interval=timedelta(hours=1))
    assert client.deployments.promote("sdk-canary", comment="by hand").phase == spb.ROLLOUT_PHASE_PROMOTED
    primary = [v for v in client.deployments.get("sdk-canary").variants if v.role == spb.VARIANT_ROLE_PRIMARY]
    assert [v.resolved_version for v in primary] == [second.version]
    with pytest.raises(mlops.FailedPrecondition):
        client.deployments.rollback("sdk-canary")
    client.deployments.delete("sdk-canary")
    with pytest.raises(mlops.NotFound):
        client.deployments.get("sdk-canary")


def test_features_push_a_dataframe_and_read_online_and_point_in_time(client):
    client.features.apply({
        "entities": [{"name": "sdk_driver", "join_key": "driver_id", "value_type": "int64"}],
        "feature_views": [{"name": "sdk_driver_stats", "entities": ["sdk_driver"], "ttl_seconds": 30 * 86400,
                           "features": [{"name": "trips", "type": "int64"}, {"name": "rating", "type": "double"}]}],
        "feature_services": [{"name": "sdk_driver_model", "features": ["sdk_driver_stats:trips"]}]})
    assert [f.name for f in client.features.view("sdk_driver_stats").features] == ["trips", "rating"]
    t0 = datetime(2026, 12, 1, tzinfo=timezone.utc)
    t1 = t0 + timedelta(hours=2)
    pushed = pd.DataFrame({
        "driver_id": [1, 2, 1],
        "event_timestamp": [t0, t0, t1],
        "created_timestamp": [t0, t0, t1],  # a backfill: each value was known at its event time
        "trips": [10, 20, 11],
        "rating": [4.5, None, 4.7],
    })
    with pytest.raises(ValueError, match="no column 'driver_id'"):
        client.features.push("sdk_driver_stats", pushed.drop(columns=["driver_id"]))
    with pytest.raises(ValueError, match="'speed' is not a feature"):
        client.features.push("sdk_driver_stats", pushed.assign(speed=1.0))
    assert client.features.push("sdk_driver_stats", pushed) == 3
    online = client.features.get_online(["sdk_driver_stats:trips", "sdk_driver_stats:rating"], [{"driver_id": 1}, {"driver_id": 2}, {"driver_id": 3}])
    assert online["driver_id"].tolist() == [1, 2, 3]
    trips, rating = online["sdk_driver_stats:trips"].tolist(), online["sdk_driver_stats:rating"].tolist()
    assert trips[:2] == [11, 20] and pd.isna(trips[2])  # driver 3 was never pushed
    assert rating[0] == 4.7 and pd.isna(rating[1])  # driver 2's rating was pushed as null
    entity_df = pd.DataFrame({"driver_id": [1, 1, 2], "event_timestamp": [t0 + timedelta(hours=1), t1 + timedelta(minutes=1), t0 - timedelta(hours=1)]})
    training = client.features.get_historical(entity_df, ["sdk_driver_stats:trips"])
    trips = training["trips"].tolist()
    assert trips[:2] == [10, 11] and pd.isna(trips[2])  # the last row asks for a time before any value


def test_list_features_push_row_by_row_and_enrich_a_deployment(client, registered):
    x, expected = linear_fixture()
    client.features.apply_entity("sdk_user", "user_id", "int64")
    client.features.apply_view("sdk_user_vectors", ["sdk_user"], {"X": "double_list"})
    now = datetime.now(timezone.utc)
    pushed = pd.DataFrame({"user_id": [7, 8], "event_timestamp": [now, now], "X": [list(x[0]), list(x[1])]})
    assert client.features.push("sdk_user_vectors", pushed, to="online") == 2
    client.deployments.create("sdk-enriched", "sdk-linear", version=registered.version, enrichment=["sdk_user_vectors:X"])
    answer = client.deployments.predict("sdk-enriched", entities=[{"user_id": 7}, {"user_id": 8}])
    np.testing.assert_allclose(answer.outputs["variable"].to_numpy(dtype=float), expected[:2], rtol=1e-5, atol=1e-5)


def test_monitor_reference_predictions_and_drift(client):
    rng = np.random.default_rng(7)
    reference = pd.DataFrame({"age": rng.normal(40, 5, 2000), "plan": rng.choice(["a", "b"], 2000), "label": rng.choice(["0", "1"], 2000)})
    client.monitor.create("sdk-monitor", features={"age": "numerical", "plan": "categorical"}, prediction="label", window_size=500,
                          drift_share_threshold=0.3)
    assert client.monitor.drift("sdk-monitor") is None  # no window has closed yet
    assert client.monitor.set_reference("sdk-monitor", reference) == 2000
    assert client.monitor.get("sdk-monitor").has_reference
    same = client.monitor.drift("sdk-monitor", reference.sample(500, random_state=1))
    shifted = reference.assign(age=reference["age"] + 15).sample(500, random_state=2)
    drifted = client.monitor.drift("sdk-monitor", shifted)
    assert {c.column: c.drifted for c in same.columns}["age"] is False
    assert {c.column: c.drifted for c in drifted.columns}["age"] is True
    assert client.monitor.log_predictions("sdk-monitor", shifted.head(500), request_ids=[f"r{i}" for i in range(500)]) == 500
    assert client.monitor.log_labels("sdk-monitor", {"r0": "1", "r1": "0", "nope": "1"}) == 2
    # The 500 shifted records close a window: its report is the newest, and its drift an alert.
    alert = next(client.monitor.alerts("sdk-monitor", follow=True, timeout=30))
    assert alert.kind == mlops.monitor.v1.monitor_pb2.ALERT_KIND_DRIFT and "age" in alert.message, alert
    latest = client.monitor.drift("sdk-monitor")
    assert latest is not None and latest.rows == 500 and {c.column: c.drifted for c in latest.columns}["age"] is True


def test_committed_stubs_are_what_proto_generates():
    with tempfile.TemporaryDirectory() as out:
        target = os.path.join(out, "mlops")
        os.makedirs(target)
        subprocess.run([os.path.join(ROOT, "scripts", "proto", "gen-python-sdk.sh"), sys.executable, target], check=True)
        committed = os.path.join(SDK, "mlops")
        for directory, _, files in os.walk(target):
            for name in files:
                generated = os.path.join(directory, name)
                mine = os.path.join(committed, os.path.relpath(generated, target))
                assert os.path.exists(mine) and filecmp.cmp(generated, mine, shallow=False), (
                    f"{os.path.relpath(mine, ROOT)} differs from what proto/ generates: run scripts/proto/gen-python-sdk.sh")


def test_the_package_type_checks():
    done = subprocess.run([sys.executable, "-m", "mypy", "mlops"], cwd=SDK, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
