"""Experiment tracking: runs as context managers, metrics, params, tags and artifacts."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any

import pandas as pd
from google.protobuf import timestamp_pb2

from mlops._files import pieces, sha256_of, upload_progress
from mlops._transport import Transport
from mlops.common.v1 import common_pb2
from mlops.errors import NotFound
from mlops.tracker.v1 import tracker_pb2 as tpb
from mlops.tracker.v1 import tracker_pb2_grpc

# The tracker's per-call limits, as MLflow's: a longer batch is sent in several calls.
MAX_METRICS, MAX_PARAMS, MAX_TAGS = 1000, 100, 100


def now() -> timestamp_pb2.Timestamp:
    """The current time as a protobuf Timestamp."""
    stamp = timestamp_pb2.Timestamp()
    stamp.GetCurrentTime()
    return stamp


class Run:
    """A run being recorded. Used as ``with client.start_run("churn") as run:``, it ends
    FINISHED when the block completes and FAILED when it raises."""

    def __init__(self, transport: Transport, info: tpb.RunInfo) -> None:
        self._transport = transport
        self._tracker = tracker_pb2_grpc.TrackerServiceStub(transport.channel)
        self.info = info

    @property
    def id(self) -> str:
        """The run's id, as registry versions and MLflow URIs name it."""
        return self.info.run_id

    @property
    def experiment_id(self) -> str:
        """The id of the experiment the run belongs to."""
        return self.info.experiment_id

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Records parameters (values are sent as strings); a param is written once per run."""
        items = [tpb.Param(key=str(k), value=str(v)) for k, v in params.items()]
        for start in range(0, len(items), MAX_PARAMS):
            self._batch(params=items[start : start + MAX_PARAMS])

    def log_param(self, key: str, value: Any) -> None:
        """Records one parameter."""
        self.log_params({key: value})

    def log_metrics(self, metrics: Mapping[str, float], step: int = 0) -> None:
        """Records metric values at ``step`` (one timestamp for all of them)."""
        stamp = now()
        items = [tpb.Metric(key=str(k), value=float(v), timestamp=stamp, step=step) for k, v in metrics.items()]
        for start in range(0, len(items), MAX_METRICS):
            self._batch(metrics=items[start : start + MAX_METRICS])

    def log_metric(self, key: str, value: float, step: int = 0) -> None:
        """Records one metric value."""
        self.log_metrics({key: value}, step=step)

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        """Sets tags (an existing key is overwritten)."""
        items = [common_pb2.Tag(key=str(k), value=str(v)) for k, v in tags.items()]
        for start in range(0, len(items), MAX_TAGS):
            self._batch(tags=items[start : start + MAX_TAGS])

    def _batch(self, **parts: Any) -> None:
        self._transport.unary(self._tracker.LogBatch, tpb.LogBatchRequest(run_id=self.id, **parts))

    def log_artifact(self, path: str | os.PathLike[str], artifact_path: str | None = None) -> tpb.FileInfo:
        """Uploads a local file into the run's artifacts (under ``artifact_path``, a directory
        inside the run, when given), streamed in 1 MiB chunks and checked by SHA-256."""
        local = os.fspath(path)
        name = os.path.basename(local)
        target = f"{artifact_path.strip('/')}/{name}" if artifact_path else name
        size = os.path.getsize(local)
        digest = sha256_of(local)
        progress = upload_progress(size, f"upload {name}")

        def parts() -> Iterator[tpb.UploadArtifactRequest]:
            header = tpb.ArtifactHeader(run_id=self.id, path=target, expected_sha256=digest, size_bytes=size)
            yield tpb.UploadArtifactRequest(header=header)
            for chunk in pieces(local, progress):
                yield tpb.UploadArtifactRequest(chunk=chunk)

        try:
            return self._transport.client_stream(self._tracker.UploadArtifact, parts(), timeout=None).file
        finally:
            progress.close()

    def end(self, status: str = "FINISHED") -> None:
        """Ends the run with ``status`` (FINISHED, FAILED or KILLED) and the current time."""
        code = tpb.RunStatus.Value("RUN_STATUS_" + status.upper())
        request = tpb.UpdateRunRequest(run_id=self.id, status=code, end_time=now())
        self.info = self._transport.unary(self._tracker.UpdateRun, request).run_info

    def __enter__(self) -> Run:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if kind is None:
            self.end("FINISHED")
        else:
            self.end("KILLED" if issubclass(kind, KeyboardInterrupt) else "FAILED")


class Tracking:
    """Experiments and runs (``client.start_run``, ``client.search_runs`` delegate here)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._tracker = tracker_pb2_grpc.TrackerServiceStub(transport.channel)

    def experiment_id(self, name: str, create: bool = True) -> str:
        """The id of the experiment called ``name``, creating it when missing (as MLflow's
        ``set_experiment`` does)."""
        try:
            found = self._transport.unary(self._tracker.GetExperimentByName, tpb.GetExperimentByNameRequest(name=name))
            return found.experiment.experiment_id
        except NotFound:
            if not create:
                raise
        made = self._transport.unary(self._tracker.CreateExperiment, tpb.CreateExperimentRequest(name=name))
        return made.experiment.experiment_id

    def start_run(self, experiment: str, run_name: str = "", tags: Mapping[str, Any] | None = None) -> Run:
        """Starts a run in the experiment named ``experiment`` (created if missing)."""
        request = tpb.CreateRunRequest(
            experiment_id=self.experiment_id(experiment),
            run_name=run_name,
            start_time=now(),
            tags=[common_pb2.Tag(key=str(k), value=str(v)) for k, v in (tags or {}).items()],
        )
        return Run(self._transport, self._transport.unary(self._tracker.CreateRun, request).run.info)

    def get_run(self, run_id: str) -> tpb.Run:
        """A run with its params, latest metrics and tags."""
        return self._transport.unary(self._tracker.GetRun, tpb.GetRunRequest(run_id=run_id)).run

    def search_runs(
        self, experiment: str, filter: str = "", order_by: list[str] | None = None, max_results: int = 1000
    ) -> pd.DataFrame:
        """Runs of an experiment matching an MLflow-style filter (``metrics.acc > 0.9``), one row
        per run with ``run_id``, ``status``, ``metrics.*``, ``params.*`` and ``tags.*`` columns,
        as ``mlflow.search_runs`` gives them. Pages are followed until ``max_results``."""
        rows: list[dict[str, Any]] = []
        token = ""
        experiment_id = self.experiment_id(experiment, create=False)
        while len(rows) < max_results:
            request = tpb.SearchRunsRequest(
                experiment_ids=[experiment_id], filter=filter, order_by=order_by or [],
                max_results=min(1000, max_results - len(rows)), page_token=token,
            )
            answer = self._transport.unary(self._tracker.SearchRuns, request)
            rows.extend(_run_row(run) for run in answer.runs)
            token = answer.next_page_token
            if not token:
                break
        return pd.DataFrame(rows)

    def metric_history(self, run_id: str, key: str) -> pd.DataFrame:
        """Every value of one metric of a run, with ``step``, ``value`` and ``timestamp``."""
        points: list[dict[str, Any]] = []
        token = ""
        while True:
            request = tpb.GetMetricHistoryRequest(run_id=run_id, metric_key=key, page_token=token)
            answer = self._transport.unary(self._tracker.GetMetricHistory, request)
            points.extend({"step": m.step, "value": m.value, "timestamp": m.timestamp.ToDatetime()} for m in answer.metrics)
            token = answer.next_page_token
            if not token:
                return pd.DataFrame(points, columns=["step", "value", "timestamp"])


def _run_row(run: tpb.Run) -> dict[str, Any]:
    row: dict[str, Any] = {
        "run_id": run.info.run_id,
        "run_name": run.info.run_name,
        "status": tpb.RunStatus.Name(run.info.status).removeprefix("RUN_STATUS_"),
        "start_time": run.info.start_time.ToDatetime() if run.info.HasField("start_time") else None,
    }
    row.update({f"metrics.{m.key}": m.value for m in run.data.metrics})
    row.update({f"params.{p.key}": p.value for p in run.data.params})
    row.update({f"tags.{t.key}": t.value for t in run.data.tags})
    return row
