"""MLflow's own Python client against the gateway's MLflow REST front (issue #28): a training
script written for MLflow runs unchanged with the tracking URI pointed at the platform."""
import math
import uuid

import pytest

mlflow = pytest.importorskip("mlflow")
from mlflow import MlflowClient  # noqa: E402
from mlflow.exceptions import MlflowException, RestException  # noqa: E402


@pytest.fixture()
def tracking(platform, monkeypatch):
    """MLflow's client pointed at the gateway's HTTP port, with the admin key as its token."""
    uri = f"http://127.0.0.1:{platform.http_port('gateway')}"
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", platform.key)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    mlflow.set_tracking_uri(uri)
    yield MlflowClient(uri)
    mlflow.set_tracking_uri(None)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_a_training_script_logs_params_metrics_and_tags_that_read_back(tracking):
    name = unique("churn")
    experiment = mlflow.set_experiment(name)
    assert experiment.name == name and tracking.get_experiment_by_name(name).experiment_id == experiment.experiment_id
    with mlflow.start_run(run_name="baseline") as run:
        mlflow.log_params({"model": "rf", "depth": 8})
        for step in range(5):
            mlflow.log_metrics({"loss": 1.0 / (step + 1), "acc": step / 10}, step=step)
        mlflow.set_tags({"team": "churn"})
        mlflow.log_metric("undefined", float("nan"))
    got = tracking.get_run(run.info.run_id)
    assert got.info.status == "FINISHED" and got.info.end_time >= got.info.start_time > 0
    assert got.info.run_name == "baseline" and got.data.tags["mlflow.runName"] == "baseline"
    assert got.info.user_id == "admin"  # the key's name: the gateway's identity, not the client's claim
    assert got.data.params == {"model": "rf", "depth": "8"}
    assert got.data.metrics["loss"] == pytest.approx(0.2) and got.data.metrics["acc"] == pytest.approx(0.4)
    assert math.isnan(got.data.metrics["undefined"])
    assert got.data.tags["team"] == "churn"
    history = tracking.get_metric_history(run.info.run_id, "loss")
    assert [(m.step, m.value) for m in history] == [(s, pytest.approx(1.0 / (s + 1))) for s in range(5)]


def test_search_runs_filters_orders_and_pages_as_mlflow_does(tracking):
    experiment = tracking.create_experiment(unique("search"))
    for index, (acc, model) in enumerate([(0.1, "lr"), (0.5, "rf"), (0.9, "rf"), (0.7, "gb")]):
        run = tracking.create_run(experiment, run_name=f"r{index}", tags={"team": "a" if index % 2 else "b"})
        tracking.log_metric(run.info.run_id, "acc", acc)
        tracking.log_param(run.info.run_id, "model", model)
        tracking.set_terminated(run.info.run_id, "FINISHED" if index < 3 else "KILLED")
    frame = mlflow.search_runs([experiment], filter_string="metrics.acc > 0.3", order_by=["metrics.acc DESC"])
    assert list(frame["tags.mlflow.runName"]) == ["r2", "r3", "r1"]
    assert [r.info.run_name for r in tracking.search_runs([experiment], "params.model = 'rf'", order_by=["metrics.acc"])] == ["r1", "r2"]
    assert {r.info.run_name for r in tracking.search_runs([experiment], "tags.team = 'a'")} == {"r1", "r3"}
    assert [r.info.run_name for r in tracking.search_runs([experiment], "attributes.status = 'KILLED'")] == ["r3"]
    first = tracking.search_runs([experiment], order_by=["metrics.acc ASC"], max_results=3)
    second = tracking.search_runs([experiment], order_by=["metrics.acc ASC"], max_results=3, page_token=first.token)
    assert [r.info.run_name for r in first] == ["r0", "r1", "r3"] and [r.info.run_name for r in second] == ["r2"]
    assert not second.token
    with pytest.raises(MlflowException) as refused:
        tracking.search_runs([experiment], "metrics.acc >>> 1")
    assert refused.value.error_code == "INVALID_PARAMETER_VALUE"


def test_experiments_and_runs_change_delete_and_restore(tracking):
    experiment = tracking.create_experiment(unique("life"), tags={"owner": "ana"})
    tracking.set_experiment_tag(experiment, "stage", "dev")
    assert tracking.get_experiment(experiment).tags == {"owner": "ana", "stage": "dev"}
    renamed = unique("renamed")
    tracking.rename_experiment(experiment, renamed)
    assert tracking.get_experiment(experiment).name == renamed
    run = tracking.create_run(experiment, run_name="first")
    tracking.set_tag(run.info.run_id, "scratch", "1")
    tracking.delete_tag(run.info.run_id, "scratch")
    tracking.update_run(run.info.run_id, name="second")
    got = tracking.get_run(run.info.run_id)
    assert got.info.run_name == "second" and "scratch" not in got.data.tags
    tracking.delete_run(run.info.run_id)
    assert tracking.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    assert tracking.search_runs([experiment]) == []
    tracking.restore_run(run.info.run_id)
    assert [r.info.run_id for r in tracking.search_runs([experiment])] == [run.info.run_id]
    tracking.delete_experiment(experiment)
    assert tracking.get_experiment(experiment).lifecycle_stage == "deleted"
    tracking.restore_experiment(experiment)
    assert tracking.get_experiment(experiment).lifecycle_stage == "active"


def test_log_batch_and_inputs_reach_the_run(tracking):
    import pandas
    from mlflow.entities import Metric, Param, RunTag
    experiment = tracking.create_experiment(unique("batch"))
    run = tracking.create_run(experiment)
    tracking.log_batch(run.info.run_id, metrics=[Metric("m", float(i), 1700000000000 + i, i) for i in range(20)],
                       params=[Param("p", "1")], tags=[RunTag("t", "v")])
    dataset = mlflow.data.from_pandas(pandas.DataFrame({"x": [1, 2, 3]}), name="train-set")
    mlflow.set_experiment(experiment_id=experiment)
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.log_input(dataset, context="training")
    got = tracking.get_run(run.info.run_id)
    assert got.data.metrics["m"] == 19.0 and got.data.params == {"p": "1"} and got.data.tags["t"] == "v"
    assert [m.timestamp for m in tracking.get_metric_history(run.info.run_id, "m")][:2] == [1700000000000, 1700000000001]
    assert [i.dataset.name for i in got.inputs.dataset_inputs] == ["train-set"]


def test_runs_without_an_experiment_go_to_the_default_one(tracking):
    run = tracking.create_run("0")
    assert tracking.get_experiment(run.info.experiment_id).name == "Default"
    assert tracking.get_experiment("0").experiment_id == run.info.experiment_id


def test_errors_come_in_mlflows_shape_and_keys_are_checked(tracking, platform, monkeypatch):
    with pytest.raises(RestException) as missing:
        tracking.get_experiment("987654321")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(RestException) as bad:
        tracking.create_experiment("")
    assert bad.value.error_code == "INVALID_PARAMETER_VALUE" and "name" in bad.value.message
    viewer = platform.key_for("mlflow-viewer", "viewer")
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", viewer)
    assert tracking.search_experiments(max_results=1) is not None
    with pytest.raises(RestException) as denied:
        tracking.create_experiment(unique("denied"))
    assert denied.value.error_code == "PERMISSION_DENIED" and "editor" in denied.value.message
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    with pytest.raises(RestException) as anonymous:
        tracking.search_experiments()
    assert anonymous.value.error_code == "UNAUTHENTICATED"


def test_artifacts_upload_list_and_download_byte_for_byte(tracking, tmp_path):
    import os
    source = tmp_path / "out"
    (source / "plots").mkdir(parents=True)
    (source / "plots" / "roc curve.txt").write_text("auc 0.91\n")
    blob = os.urandom(5 * 1024 * 1024 + 7)
    (source / "weights.bin").write_bytes(blob)
    mlflow.set_experiment(unique("artifacts"))
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(source / "weights.bin"))
        mlflow.log_artifacts(str(source / "plots"), artifact_path="plots")
        mlflow.log_text("hello", "notes/readme.txt")
    assert run.info.artifact_uri == f"mlflow-artifacts:/runs/{run.info.run_id}"
    listed = {(f.path, f.is_dir, f.file_size) for f in tracking.list_artifacts(run.info.run_id)}
    assert listed == {("weights.bin", False, len(blob)), ("plots", True, None), ("notes", True, None)}
    # MLflow 3 resolves runs:/ sub-paths through logged models too (not served yet): the
    # artifact URI goes to the proxied artifact API directly.
    assert [f.path for f in mlflow.artifacts.list_artifacts(f"{run.info.artifact_uri}/plots")] == ["plots/roc curve.txt"]
    target = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, dst_path=str(tmp_path / "back"))
    assert open(os.path.join(target, "weights.bin"), "rb").read() == blob
    assert open(os.path.join(target, "plots", "roc curve.txt")).read() == "auc 0.91\n"
    assert mlflow.artifacts.load_text(f"{run.info.artifact_uri}/notes/readme.txt") == "hello"
    with pytest.raises(Exception) as missing:
        mlflow.artifacts.download_artifacts(f"{run.info.artifact_uri}/missing.txt", dst_path=str(tmp_path / "x"))
    assert "RESOURCE_DOES_NOT_EXIST" in str(missing.value) or "404" in str(missing.value)


def test_the_model_registry_through_mlflows_client(tracking, tmp_path):
    import os
    name = unique("churn-model")
    tracking.create_registered_model(name, tags={"team": "growth"}, description="churn")
    experiment = tracking.create_experiment(unique("registry"))
    run = tracking.create_run(experiment)
    tracking.log_metric(run.info.run_id, "auc", 0.9)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.txt").write_text("weights")
    tracking.log_artifacts(run.info.run_id, str(tmp_path / "model"), artifact_path="model")
    source = f"runs:/{run.info.run_id}/model"
    first = tracking.create_model_version(name, source, run_id=run.info.run_id)
    second = tracking.create_model_version(name, source, run_id=run.info.run_id, tags={"k": "v"}, description="second")
    assert (first.version, first.status, first.run_id, first.source) == ("1", "READY", run.info.run_id, source)
    assert second.version == "2" and second.tags == {"k": "v"} and second.description == "second"
    tracking.set_registered_model_alias(name, "champion", "1")
    assert tracking.get_model_version_by_alias(name, "champion").version == "1"
    tracking.transition_model_version_stage(name, "1", "Production")
    tracking.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
    assert tracking.get_model_version(name, "1").current_stage == "Archived"
    assert [v.version for v in tracking.get_latest_versions(name, stages=["Production"])] == ["2"]
    assert sorted(v.version for v in tracking.search_model_versions(f"name = '{name}'")) == ["1", "2"]
    tracking.update_model_version(name, "2", description="better")
    tracking.set_model_version_tag(name, "2", "validated", "yes")
    got = tracking.get_model_version(name, "2")
    assert got.description == "better" and got.tags == {"k": "v", "validated": "yes"}
    tracking.delete_model_version_tag(name, "2", "k")
    assert tracking.get_model_version(name, "2").tags == {"validated": "yes"}
    tracking.set_registered_model_tag(name, "scratch", "1")
    tracking.delete_registered_model_tag(name, "scratch")
    tracking.update_registered_model(name, description="churn v2")
    model = tracking.get_registered_model(name)
    assert model.aliases == {"champion": "1"} and model.description == "churn v2" and model.tags == {"team": "growth"}
    renamed = unique("renamed")
    tracking.rename_registered_model(name, renamed)
    assert [m.name for m in tracking.search_registered_models(f"name = '{renamed}'")] == [renamed]
    uri = tracking.get_model_version_download_uri(renamed, "1")
    assert uri == f"mlflow-artifacts:/runs/{run.info.run_id}/model"
    back = mlflow.artifacts.download_artifacts(uri, dst_path=str(tmp_path / "back"))
    assert open(os.path.join(back, "weights.txt")).read() == "weights"
    with pytest.raises(RestException) as refused:
        tracking.create_model_version(renamed, "s3://bucket/model")
    assert refused.value.error_code == "INVALID_PARAMETER_VALUE" and "source" in refused.value.message
    # The registry's safety rule holds through MLflow's API: a Production version or a model
    # with an alias is archived or unaliased first.
    with pytest.raises(RestException) as live:
        tracking.delete_model_version(renamed, "2")
    assert live.value.error_code == "INVALID_STATE" and "Production" in live.value.message
    with pytest.raises(RestException) as aliased:
        tracking.delete_registered_model(renamed)
    assert aliased.value.error_code == "INVALID_STATE"
    tracking.transition_model_version_stage(renamed, "2", "Archived")
    tracking.delete_registered_model_alias(renamed, "champion")
    tracking.delete_model_version(renamed, "2")
    assert sorted(v.version for v in tracking.search_model_versions(f"name = '{renamed}'")) == ["1"]
    tracking.delete_registered_model(renamed)
    with pytest.raises(RestException) as gone:
        tracking.get_registered_model(renamed)
    assert gone.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_the_deployment_policy_holds_for_stage_moves_through_mlflow(monkeypatch):
    # A platform of its own: a default policy, once set, stays and would apply to other tests.
    from conftest import started_platform
    from mlops.gateway.v1 import gateway_pb2, gateway_pb2_grpc
    with started_platform() as own:
        uri = f"http://127.0.0.1:{own.http_port('gateway')}"
        monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", own.key)
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        tracking = MlflowClient(uri)
        name = unique("gated")
        run = tracking.create_run(tracking.create_experiment(unique("gated")))
        tracking.create_registered_model(name)
        tracking.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
        with own.channel("gateway") as channel:
            gateway = gateway_pb2_grpc.GatewayServiceStub(channel)
            gateway.SetPolicy(gateway_pb2.SetPolicyRequest(policy=gateway_pb2.Policy(scope="default", required_approvals=1)))
        with pytest.raises(RestException) as refused:
            tracking.transition_model_version_stage(name, "1", "Production")
        assert refused.value.error_code == "INVALID_STATE" and "required_approvals" in refused.value.message
        assert tracking.get_model_version(name, "1").current_stage == "None"
        tracking.transition_model_version_stage(name, "1", "Staging")
        with pytest.raises(RestException) as still:
            tracking.transition_model_version_stage(name, "1", "Production")
        assert still.value.error_code == "INVALID_STATE"
        assert tracking.get_model_version(name, "1").current_stage == "Staging"


def test_a_sklearn_model_is_logged_loaded_registered_and_loaded_by_version(tracking):
    import numpy
    from sklearn.linear_model import LogisticRegression
    x = numpy.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    y = numpy.array([0, 0, 0, 1, 1, 1])
    model = LogisticRegression().fit(x, y)
    mlflow.set_experiment(unique("sklearn"))
    with mlflow.start_run() as run:
        logged = mlflow.sklearn.log_model(model, name="model")
    assert logged.model_id.startswith("m-") and logged.run_id == run.info.run_id
    assert tracking.get_logged_model(logged.model_id).status.to_proto() == 2  # LOGGED_MODEL_READY
    # The files are the model's, not listed among the run's own artifacts.
    assert [f.path for f in tracking.list_artifacts(run.info.run_id)] == []
    loaded = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    assert list(loaded.predict(x)) == list(model.predict(x))
    name = unique("sklearn-model")
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    assert version.version == "1" and version.run_id == run.info.run_id
    again = mlflow.sklearn.load_model(f"models:/{name}/1")
    assert list(again.predict_proba(x)[:, 1]) == pytest.approx(list(model.predict_proba(x)[:, 1]))
    assert [m.model_id for m in mlflow.search_logged_models(experiment_ids=[run.info.experiment_id], output_format="list")] == [
        logged.model_id]


def test_a_bad_log_batch_is_refused_naming_the_field_and_writes_nothing(tracking, platform):
    import requests
    run = tracking.create_run(tracking.create_experiment(unique("bad-batch")))
    url = f"http://127.0.0.1:{platform.http_port('gateway')}/api/2.0/mlflow/runs/log-batch"
    headers = {"Authorization": f"Bearer {platform.key}"}
    for body, named in [
        ({"run_id": run.info.run_id, "metrics": [{"key": "ok", "value": 1, "timestamp": 1, "step": 0},
                                                 {"key": "bad", "value": "abc", "timestamp": 1}]}, "metrics"),
        ({"run_id": run.info.run_id, "metrics": [{"key": "m", "value": 1, "step": "x"}]}, "step"),
        ({"metrics": []}, "run_id"),
    ]:
        answer = requests.post(url, json=body, headers=headers, timeout=30)
        assert answer.status_code == 400, answer.text
        assert answer.json()["error_code"] == "INVALID_PARAMETER_VALUE" and named in answer.json()["message"], answer.text
    assert requests.post(url, data=b"{not json", headers=headers, timeout=30).json()["error_code"] == "INVALID_PARAMETER_VALUE"
    huge = requests.post(url, data=b" " * (17 << 20), headers=headers, timeout=60)
    assert huge.status_code == 413 and huge.json()["error_code"] == "RESOURCE_EXHAUSTED", huge.text
    assert tracking.get_run(run.info.run_id).data.metrics == {}
