"""Monitoring: monitors, reference data, predictions made elsewhere, drift and alerts."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from mlops._progress import Progress
from mlops._transport import Transport
from mlops._values import records, to_row
from mlops.common.v1 import common_pb2
from mlops.monitor.v1 import monitor_pb2 as mpb
from mlops.monitor.v1 import monitor_pb2_grpc

BATCH_ROWS = 5_000


class Monitoring:
    """``client.monitor``: the monitor service."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._monitor = monitor_pb2_grpc.MonitorServiceStub(transport.channel)

    def create(
        self, name: str, *, deployment: str = "", features: Mapping[str, str], prediction: str = "", label: str = "",
        task: str = "classification", window_size: int = 1000, drift_share_threshold: float = 0.5,
        rollback_router: str = "",
    ) -> mpb.Monitor:
        """Watches ``deployment`` (or predictions logged under this monitor's name): ``features``
        maps each input column to ``"numerical"`` or ``"categorical"``; ``prediction`` and
        ``label`` name the output and ground-truth columns. A window of ``window_size``
        predictions is compared with the reference; with ``rollback_router`` (the router's
        host:port) a drift alert also rolls the deployment's canary back."""
        kind = "categorical" if task == "classification" else "numerical"
        columns = [mpb.MonitoredColumn(name=c, kind=mpb.ColumnKind.Value("COLUMN_KIND_" + k.upper())) for c, k in features.items()]
        if prediction:
            columns.append(mpb.MonitoredColumn(name=prediction, kind=mpb.ColumnKind.Value("COLUMN_KIND_" + kind.upper()), role=mpb.COLUMN_ROLE_PREDICTION))
        if label:
            columns.append(mpb.MonitoredColumn(name=label, kind=mpb.ColumnKind.Value("COLUMN_KIND_" + kind.upper()), role=mpb.COLUMN_ROLE_LABEL))
        monitor = mpb.Monitor(
            name=name, deployment=deployment, columns=columns, task=mpb.TaskType.Value("TASK_TYPE_" + task.upper()),
            window=mpb.WindowSpec(size=window_size), drift_share_threshold=drift_share_threshold,
        )
        if rollback_router:
            monitor.actions.append(mpb.AlertAction(rollback=mpb.RollbackAction(router_address=rollback_router, deployment=deployment)))
        return self._transport.unary(self._monitor.CreateMonitor, mpb.CreateMonitorRequest(monitor=monitor)).monitor

    def get(self, name: str) -> mpb.Monitor:
        """A monitor's definition (``has_reference`` says whether drift can be computed)."""
        return self._transport.unary(self._monitor.GetMonitor, mpb.GetMonitorRequest(name=name)).monitor

    def set_reference(self, name: str, data: pd.DataFrame | Sequence[Mapping[str, Any]]) -> int:
        """Profiles ``data`` (the training set, typically) as the reference that windows are
        compared with; streamed in batches. Returns the rows profiled."""
        rows = records(data)

        def parts() -> Iterator[mpb.SetReferenceRequest]:
            yield mpb.SetReferenceRequest(header=mpb.ReferenceHeader(monitor=name))
            for start in range(0, len(rows), BATCH_ROWS):
                batch = [common_pb2.Row(values=to_row(r)) for r in rows[start : start + BATCH_ROWS]]
                yield mpb.SetReferenceRequest(rows=mpb.ReferenceRows(rows=batch))

        return int(self._transport.client_stream(self._monitor.SetReference, parts(), timeout=None).rows_profiled)

    def log_predictions(self, name: str, data: pd.DataFrame, *, request_ids: Sequence[str] = ()) -> int:
        """Sends predictions made outside the platform (one row each: the features and the
        prediction columns) to the monitor, in column batches over one stream. ``request_ids``
        lets labels logged later join their predictions. Returns the records accepted."""
        progress = Progress(len(data), f"log {name}", "rows", enabled=None if len(data) > BATCH_ROWS else False)

        def batches() -> Iterator[mpb.LogPredictionsRequest]:
            for start in range(0, len(data), BATCH_ROWS):
                part = data.iloc[start : start + BATCH_ROWS]
                columns = mpb.PredictionColumns(request_ids=list(request_ids[start : start + BATCH_ROWS]))
                for column in part.columns:
                    columns.values[str(column)].CopyFrom(_vector(part[column]))
                progress.advance(len(part))
                yield mpb.LogPredictionsRequest(monitor=name, columns=columns)

        try:
            return int(self._transport.client_stream(self._monitor.LogPredictionsStream, batches(), timeout=None).records_accepted)
        finally:
            progress.close()

    def log_labels(self, name: str, labels: Mapping[str, Any]) -> int:
        """Ground truth for earlier predictions, by request id; returns how many matched."""
        request = mpb.LogLabelsRequest(monitor=name, labels=[
            mpb.LabelRecord(request_id=r, label=to_row({"v": v})["v"]) for r, v in labels.items()])
        return int(self._transport.unary(self._monitor.LogLabels, request).labels_matched)

    def drift(self, name: str, data: pd.DataFrame | Sequence[Mapping[str, Any]] | None = None) -> mpb.DriftReport | None:
        """Drift of ``data`` against the reference, computed now; without ``data``, the newest
        report of a closed window (None while no window has closed)."""
        if data is not None:
            rows = mpb.ReferenceRows(rows=[common_pb2.Row(values=to_row(r)) for r in records(data)])
            return self._transport.unary(self._monitor.ComputeDrift, mpb.ComputeDriftRequest(monitor=name, rows=rows)).report
        reports = self.reports(name)
        return max(reports, key=lambda r: (r.window_end.ToNanoseconds(), r.computed_time.ToNanoseconds())) if reports else None

    def reports(self, name: str) -> list[mpb.DriftReport]:
        """Every drift report of the monitor."""
        found: list[mpb.DriftReport] = []
        token = ""
        while True:
            request = mpb.ListDriftReportsRequest(monitor=name, page=common_pb2.PageRequest(page_token=token))
            answer = self._transport.unary(self._monitor.ListDriftReports, request)
            found.extend(answer.reports)
            token = answer.next_page_token
            if not token:
                return found

    def alerts(self, name: str, follow: bool = False, timeout: float | None = None) -> Iterator[mpb.Alert]:
        """The monitor's alerts; with ``follow``, then each alert raised (or whose actions
        complete) afterwards, until the caller stops iterating or ``timeout`` seconds pass."""
        watch = self._transport.server_stream(self._monitor.WatchAlerts, mpb.WatchAlertsRequest(monitor=name), timeout=timeout) if follow else None
        seen: dict[str, bytes] = {}
        token = ""
        while True:
            answer = self._transport.unary(self._monitor.ListAlerts, mpb.ListAlertsRequest(monitor=name, page=common_pb2.PageRequest(page_token=token)))
            for alert in answer.alerts:
                seen[alert.alert_id] = alert.SerializeToString(deterministic=True)
                yield alert
            token = answer.next_page_token
            if not token:
                break
        for update in watch or ():
            if seen.pop(update.alert.alert_id, None) != update.alert.SerializeToString(deterministic=True):
                yield update.alert


def _vector(series: pd.Series) -> mpb.ColumnVector:
    """A column as numbers (NaN for a missing cell) or, for anything else, as text."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return mpb.ColumnVector(numbers=common_pb2.DoubleList(values=series.astype("float64").tolist()))
    return mpb.ColumnVector(texts=common_pb2.StringList(values=["" if pd.isna(v) else str(v) for v in series]))
