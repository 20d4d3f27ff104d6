"""SearchRuns as grpcio decodes it: the tracker writes this answer by hand, not through its
generated messages, so a client of another language must read every field back."""
import math

from mlops.common.v1 import common_pb2
from mlops.tracker.v1 import tracker_pb2, tracker_pb2_grpc


def test_search_runs_answer_decodes_every_field_in_python(platform):
    with platform.channel("tracker") as channel:
        tracker = tracker_pb2_grpc.TrackerServiceStub(channel)
        experiment_id = tracker.CreateExperiment(tracker_pb2.CreateExperimentRequest(name="py-search")).experiment.experiment_id
        run = tracker.CreateRun(tracker_pb2.CreateRunRequest(
            experiment_id=experiment_id, run_name="späte-run", tags=[common_pb2.Tag(key="team", value="ml")],
            source=tracker_pb2.RunSource(repository="git@x:y.git", commit="abc", entry_point="train.py"),
            environment=tracker_pb2.RunEnvironment(runtime="python", packages=["numpy==2", "torch"]))).run
        run_id = run.info.run_id
        tracker.LogBatch(tracker_pb2.LogBatchRequest(
            run_id=run_id, params=[tracker_pb2.Param(key="lr", value="0.1"), tracker_pb2.Param(key="Batch", value="")],
            metrics=[tracker_pb2.Metric(key="loss", value=float("nan"), step=-2),
                     tracker_pb2.Metric(key="auc", value=float("-inf"), step=3)]))
        tracker.LogInputs(tracker_pb2.LogInputsRequest(run_id=run_id, datasets=[tracker_pb2.DatasetInput(
            dataset=tracker_pb2.Dataset(name="train", digest="d1", source_type="s3", source="s3://b/k"),
            context="training", tags=[common_pb2.Tag(key="b", value="2"), common_pb2.Tag(key="a", value="1")])]))
        tracker.UpdateRun(tracker_pb2.UpdateRunRequest(run_id=run_id, status=tracker_pb2.RUN_STATUS_FAILED, end_time=run.info.start_time))
        other = tracker.CreateRun(tracker_pb2.CreateRunRequest(experiment_id=experiment_id)).run.info.run_id

        answer = tracker.SearchRuns(tracker_pb2.SearchRunsRequest(
            experiment_ids=[experiment_id], filter="params.lr = '0.1'", max_results=10))
        assert [r.info.run_id for r in answer.runs] == [run_id] and answer.next_page_token == ""
        found = answer.runs[0]
        assert found.info.run_name == "späte-run" and found.info.experiment_id == experiment_id
        assert found.info.status == tracker_pb2.RUN_STATUS_FAILED and found.info.end_time == run.info.start_time
        assert found.info.start_time == run.info.start_time and found.info.artifact_uri == run.info.artifact_uri
        assert [(m.key, m.step) for m in found.data.metrics] == [("auc", 3), ("loss", -2)]
        assert found.data.metrics[0].value == float("-inf") and math.isnan(found.data.metrics[1].value)
        assert [(p.key, p.value) for p in found.data.params] == [("Batch", ""), ("lr", "0.1")]
        assert ("team", "ml") in [(t.key, t.value) for t in found.data.tags]
        assert found.inputs[0].dataset.source == "s3://b/k" and found.inputs[0].context == "training"
        assert [(t.key, t.value) for t in found.inputs[0].tags] == [("a", "1"), ("b", "2")]
        assert found.source.commit == "abc" and list(found.environment.packages) == ["numpy==2", "torch"]
        assert found == tracker.GetRun(tracker_pb2.GetRunRequest(run_id=run_id)).run

        first = tracker.SearchRuns(tracker_pb2.SearchRunsRequest(experiment_ids=[experiment_id], max_results=1))
        assert len(first.runs) == 1 and first.next_page_token
        rest = tracker.SearchRuns(tracker_pb2.SearchRunsRequest(
            experiment_ids=[experiment_id], max_results=1, page_token=first.next_page_token))
        assert {first.runs[0].info.run_id, rest.runs[0].info.run_id} == {run_id, other}
