"""SearchRuns against MLflow's own answer: the same runs written to MLflow's SQLAlchemy store
(a SQLite file, no MLflow server) and to the tracker over gRPC, then the same filter strings and
order_by keys asked of both. MLflow's store is the judge of the semantics: a NaN metric
compares as the 0 MLflow stores for it, real values sort before NaN and NaN before missing,
names without a prefix are attributes, and the filters MLflow refuses are refused."""
import math

import grpc
import pytest

from mlops.common.v1 import common_pb2
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc

mlflow_store = pytest.importorskip("mlflow.store.tracking.sqlalchemy_store")
from mlflow.entities import Metric, Param, RunStatus, RunTag, ViewType  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402

# name, start time, auc (None: never logged), params, tags, status
RUNS = [
    ("a", 100, 0.9, {"model": "xgb", "lr": "0.1"}, {"team": "ml", "reviewed": "yes"}, "FINISHED"),
    ("b", 200, 0.85, {"model": "rf"}, {"team": "ml-core"}, "FINISHED"),
    ("c", 300, None, {"model": "xgb"}, {"team": "data"}, "FAILED"),
    ("d", 400, 0.85, {"model": "rf", "lr": "0.01"}, {"team": "ML"}, "RUNNING"),
    ("e", 500, math.nan, {"model": "rf"}, {"team": "Data"}, "KILLED"),
    ("f", 600, 0.0, {"model": "lin"}, {}, "FINISHED"),
    ("g", 700, -0.5, {"model": "lin", "lr": "1"}, {"team": "ml"}, "FINISHED"),
]

FILTERS = [
    "", "metrics.auc > 0.85", "metrics.auc >= 0.85", "metrics.auc < 0.9", "metrics.auc <= 0", "metrics.auc = 0",
    "metrics.auc != 0.85", "metrics.auc != 0", "metrics.auc > -1", "metrics.auc < 0", "params.model = 'rf'",
    "params.model != 'rf'", "params.lr LIKE '0.%'", "params.model ILIKE 'R%'", "tags.team = 'ml'", "tags.team LIKE 'ml%'",
    "tags.team ILIKE 'ml%'", "tags.reviewed IS NULL", "tags.team IS NOT NULL", "params.lr IS NULL", "status = 'FINISHED'",
    "attributes.status != 'FINISHED'", "run_name = 'c'", "attributes.run_name LIKE '%'", "start_time >= 300", "created < 300",
    "params.model = 'rf' AND metrics.auc != 0.85", "params.model = 'lin' AND metrics.auc <= 0", "tags.team = 'ml' AND params.lr = '1'",
]
ORDERS = [
    [], ["metrics.auc DESC"], ["metrics.auc ASC"], ["metrics.auc"], ["params.lr DESC"], ["params.lr"], ["tags.team"],
    ["attributes.run_name DESC"], ["start_time"], ["status", "metrics.auc DESC"], ["params.model", "metrics.auc DESC"],
]
REFUSED = [
    ("params.model IN ('rf')", []), ("tags.team NOT IN ('ml')", []), ("status IN ('FINISHED')", []),
    ("", ["metrics.auc", "metrics.auc DESC"]), ("", ["created", "start_time"]), ("nonsense = 'x'", []),
]


@pytest.fixture(scope="module")
def both(platform, tmp_path_factory):
    """The runs written to MLflow's store and to the tracker; yields (search in MLflow, search here)."""
    directory = tmp_path_factory.mktemp("mlflow")
    store = mlflow_store.SqlAlchemyStore(f"sqlite:///{directory}/mlflow.db", str(directory / "artifacts"))
    experiment = store.create_experiment("semantics")
    with platform.channel("tracker") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        experiment_id = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="mlflow-semantics")).experiment.experiment_id
        for name, start, auc, params, tags, status in RUNS:
            run = store.create_run(experiment, user_id="u", start_time=start, tags=[], run_name=name)
            metrics = [] if auc is None else [Metric("auc", auc, 1, 0)]
            store.log_batch(run.info.run_id, metrics=metrics, params=[Param(k, v) for k, v in params.items()],
                            tags=[RunTag(k, v) for k, v in tags.items()])
            store.update_run_info(run.info.run_id, RunStatus.from_string(status), None, None)

            ours = tracker.CreateRun(tracker_pb2.CreateRunRequest(
                experiment_id=experiment_id, run_name=name, start_time={"seconds": start // 1000, "nanos": start % 1000 * 1_000_000})).run
            tracker.LogBatch(tracker_pb2.LogBatchRequest(
                run_id=ours.info.run_id,
                metrics=[] if auc is None else [tracker_pb2.Metric(key="auc", value=auc, timestamp={"nanos": 1_000_000}, step=0)],
                params=[tracker_pb2.Param(key=k, value=v) for k, v in params.items()],
                tags=[common_pb2.Tag(key=k, value=v) for k, v in tags.items()]))
            tracker.UpdateRun(tracker_pb2.UpdateRunRequest(
                run_id=ours.info.run_id, status=getattr(tracker_pb2, f"RUN_STATUS_{status}")))

        def theirs(filter_, order):
            runs = store.search_runs([experiment], filter_, ViewType.ACTIVE_ONLY, max_results=100, order_by=order)
            return [r.info.run_name for r in runs]

        def ours(filter_, order):
            answer = tracker.SearchRuns(tracker_pb2.SearchRunsRequest(
                experiment_ids=[experiment_id], filter=filter_, order_by=order, max_results=100))
            return [r.info.run_name for r in answer.runs]

        yield theirs, ours


@pytest.mark.parametrize("filter_", FILTERS)
def test_each_filter_finds_the_runs_mlflow_finds(both, filter_):
    theirs, ours = both
    assert ours(filter_, []) == theirs(filter_, [])


@pytest.mark.parametrize("order", ORDERS, ids=[",".join(o) or "default" for o in ORDERS])
def test_each_order_by_sorts_as_mlflow_sorts(both, order):
    theirs, ours = both
    assert ours("", order) == theirs("", order)


@pytest.mark.parametrize("filter_,order", REFUSED)
def test_what_mlflow_refuses_is_invalid_argument(both, filter_, order):
    theirs, ours = both
    with pytest.raises(MlflowException):
        theirs(filter_, order)
    with pytest.raises(grpc.RpcError) as refused:
        ours(filter_, order)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.fixture(scope="module")
def through_rest(platform, both):
    """The same runs searched with MLflow's own client through the gateway's REST front."""
    import os
    from mlflow import MlflowClient
    os.environ["MLFLOW_TRACKING_TOKEN"] = platform.key
    client = MlflowClient(f"http://127.0.0.1:{platform.http_port('gateway')}")
    experiment = client.get_experiment_by_name("mlflow-semantics").experiment_id

    def rest(filter_, order):
        return [r.info.run_name for r in client.search_runs([experiment], filter_, max_results=100, order_by=order)]

    yield rest
    os.environ.pop("MLFLOW_TRACKING_TOKEN", None)


@pytest.mark.parametrize("filter_", FILTERS)
def test_each_filter_through_mlflows_client_finds_what_grpc_finds(both, through_rest, filter_):
    theirs, ours = both
    assert through_rest(filter_, []) == ours(filter_, []) == theirs(filter_, [])


@pytest.mark.parametrize("order", ORDERS, ids=[",".join(o) or "default" for o in ORDERS])
def test_each_order_by_through_mlflows_client_sorts_as_grpc_sorts(both, through_rest, order):
    theirs, ours = both
    assert through_rest("", order) == ours("", order) == theirs("", order)
