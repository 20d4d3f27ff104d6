import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mlops.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ColumnKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLUMN_KIND_UNSPECIFIED: _ClassVar[ColumnKind]
    COLUMN_KIND_NUMERICAL: _ClassVar[ColumnKind]
    COLUMN_KIND_CATEGORICAL: _ClassVar[ColumnKind]

class ColumnRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLUMN_ROLE_FEATURE: _ClassVar[ColumnRole]
    COLUMN_ROLE_PREDICTION: _ClassVar[ColumnRole]
    COLUMN_ROLE_LABEL: _ClassVar[ColumnRole]

class DriftTest(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DRIFT_TEST_AUTO: _ClassVar[DriftTest]
    DRIFT_TEST_KS: _ClassVar[DriftTest]
    DRIFT_TEST_PSI: _ClassVar[DriftTest]
    DRIFT_TEST_CHI_SQUARED: _ClassVar[DriftTest]
    DRIFT_TEST_JENSEN_SHANNON: _ClassVar[DriftTest]
    DRIFT_TEST_WASSERSTEIN: _ClassVar[DriftTest]
    DRIFT_TEST_Z_PROPORTION: _ClassVar[DriftTest]

class TaskType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_TYPE_UNSPECIFIED: _ClassVar[TaskType]
    TASK_TYPE_CLASSIFICATION: _ClassVar[TaskType]
    TASK_TYPE_REGRESSION: _ClassVar[TaskType]

class Correction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CORRECTION_NONE: _ClassVar[Correction]
    CORRECTION_BENJAMINI_HOCHBERG: _ClassVar[Correction]

class ChartType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHART_TYPE_SHEWHART: _ClassVar[ChartType]
    CHART_TYPE_EWMA: _ClassVar[ChartType]
    CHART_TYPE_CUSUM: _ClassVar[ChartType]

class AlertKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALERT_KIND_UNSPECIFIED: _ClassVar[AlertKind]
    ALERT_KIND_DRIFT: _ClassVar[AlertKind]
    ALERT_KIND_CONTROL_CHART: _ClassVar[AlertKind]
    ALERT_KIND_PERFORMANCE: _ClassVar[AlertKind]

class AlertState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALERT_STATE_OPEN: _ClassVar[AlertState]
    ALERT_STATE_ACKNOWLEDGED: _ClassVar[AlertState]
    ALERT_STATE_RESOLVED: _ClassVar[AlertState]
COLUMN_KIND_UNSPECIFIED: ColumnKind
COLUMN_KIND_NUMERICAL: ColumnKind
COLUMN_KIND_CATEGORICAL: ColumnKind
COLUMN_ROLE_FEATURE: ColumnRole
COLUMN_ROLE_PREDICTION: ColumnRole
COLUMN_ROLE_LABEL: ColumnRole
DRIFT_TEST_AUTO: DriftTest
DRIFT_TEST_KS: DriftTest
DRIFT_TEST_PSI: DriftTest
DRIFT_TEST_CHI_SQUARED: DriftTest
DRIFT_TEST_JENSEN_SHANNON: DriftTest
DRIFT_TEST_WASSERSTEIN: DriftTest
DRIFT_TEST_Z_PROPORTION: DriftTest
TASK_TYPE_UNSPECIFIED: TaskType
TASK_TYPE_CLASSIFICATION: TaskType
TASK_TYPE_REGRESSION: TaskType
CORRECTION_NONE: Correction
CORRECTION_BENJAMINI_HOCHBERG: Correction
CHART_TYPE_SHEWHART: ChartType
CHART_TYPE_EWMA: ChartType
CHART_TYPE_CUSUM: ChartType
ALERT_KIND_UNSPECIFIED: AlertKind
ALERT_KIND_DRIFT: AlertKind
ALERT_KIND_CONTROL_CHART: AlertKind
ALERT_KIND_PERFORMANCE: AlertKind
ALERT_STATE_OPEN: AlertState
ALERT_STATE_ACKNOWLEDGED: AlertState
ALERT_STATE_RESOLVED: AlertState

class MonitoredColumn(_message.Message):
    __slots__ = ("name", "kind", "role", "test", "threshold")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TEST_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: ColumnKind
    role: ColumnRole
    test: DriftTest
    threshold: float
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[ColumnKind, str]] = ..., role: _Optional[_Union[ColumnRole, str]] = ..., test: _Optional[_Union[DriftTest, str]] = ..., threshold: _Optional[float] = ...) -> None: ...

class WindowSpec(_message.Message):
    __slots__ = ("size", "duration")
    SIZE_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    size: int
    duration: _duration_pb2.Duration
    def __init__(self, size: _Optional[int] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class ControlChartSpec(_message.Message):
    __slots__ = ("metric", "type", "baseline_windows", "ewma_lambda", "ewma_l", "cusum_k", "cusum_h")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    BASELINE_WINDOWS_FIELD_NUMBER: _ClassVar[int]
    EWMA_LAMBDA_FIELD_NUMBER: _ClassVar[int]
    EWMA_L_FIELD_NUMBER: _ClassVar[int]
    CUSUM_K_FIELD_NUMBER: _ClassVar[int]
    CUSUM_H_FIELD_NUMBER: _ClassVar[int]
    metric: str
    type: ChartType
    baseline_windows: int
    ewma_lambda: float
    ewma_l: float
    cusum_k: float
    cusum_h: float
    def __init__(self, metric: _Optional[str] = ..., type: _Optional[_Union[ChartType, str]] = ..., baseline_windows: _Optional[int] = ..., ewma_lambda: _Optional[float] = ..., ewma_l: _Optional[float] = ..., cusum_k: _Optional[float] = ..., cusum_h: _Optional[float] = ...) -> None: ...

class WebhookAction(_message.Message):
    __slots__ = ("url",)
    URL_FIELD_NUMBER: _ClassVar[int]
    url: str
    def __init__(self, url: _Optional[str] = ...) -> None: ...

class RetrainAction(_message.Message):
    __slots__ = ("url", "schedule")
    URL_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    url: str
    schedule: str
    def __init__(self, url: _Optional[str] = ..., schedule: _Optional[str] = ...) -> None: ...

class RollbackAction(_message.Message):
    __slots__ = ("router_address", "deployment")
    ROUTER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    router_address: str
    deployment: str
    def __init__(self, router_address: _Optional[str] = ..., deployment: _Optional[str] = ...) -> None: ...

class AlertAction(_message.Message):
    __slots__ = ("webhook", "retrain", "rollback")
    WEBHOOK_FIELD_NUMBER: _ClassVar[int]
    RETRAIN_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    webhook: WebhookAction
    retrain: RetrainAction
    rollback: RollbackAction
    def __init__(self, webhook: _Optional[_Union[WebhookAction, _Mapping]] = ..., retrain: _Optional[_Union[RetrainAction, _Mapping]] = ..., rollback: _Optional[_Union[RollbackAction, _Mapping]] = ...) -> None: ...

class PerformanceThreshold(_message.Message):
    __slots__ = ("metric", "value")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    metric: str
    value: float
    def __init__(self, metric: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...

class Monitor(_message.Message):
    __slots__ = ("name", "deployment", "model", "columns", "task", "window", "drift_share_threshold", "correction", "charts", "actions", "performance_thresholds", "cooldown", "has_reference", "created_time", "updated_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    DRIFT_SHARE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_FIELD_NUMBER: _ClassVar[int]
    CHARTS_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    COOLDOWN_FIELD_NUMBER: _ClassVar[int]
    HAS_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    deployment: str
    model: _common_pb2.ModelRef
    columns: _containers.RepeatedCompositeFieldContainer[MonitoredColumn]
    task: TaskType
    window: WindowSpec
    drift_share_threshold: float
    correction: Correction
    charts: _containers.RepeatedCompositeFieldContainer[ControlChartSpec]
    actions: _containers.RepeatedCompositeFieldContainer[AlertAction]
    performance_thresholds: _containers.RepeatedCompositeFieldContainer[PerformanceThreshold]
    cooldown: _duration_pb2.Duration
    has_reference: bool
    created_time: _timestamp_pb2.Timestamp
    updated_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., deployment: _Optional[str] = ..., model: _Optional[_Union[_common_pb2.ModelRef, _Mapping]] = ..., columns: _Optional[_Iterable[_Union[MonitoredColumn, _Mapping]]] = ..., task: _Optional[_Union[TaskType, str]] = ..., window: _Optional[_Union[WindowSpec, _Mapping]] = ..., drift_share_threshold: _Optional[float] = ..., correction: _Optional[_Union[Correction, str]] = ..., charts: _Optional[_Iterable[_Union[ControlChartSpec, _Mapping]]] = ..., actions: _Optional[_Iterable[_Union[AlertAction, _Mapping]]] = ..., performance_thresholds: _Optional[_Iterable[_Union[PerformanceThreshold, _Mapping]]] = ..., cooldown: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., has_reference: _Optional[bool] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateMonitorRequest(_message.Message):
    __slots__ = ("monitor",)
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    monitor: Monitor
    def __init__(self, monitor: _Optional[_Union[Monitor, _Mapping]] = ...) -> None: ...

class UpdateMonitorRequest(_message.Message):
    __slots__ = ("monitor",)
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    monitor: Monitor
    def __init__(self, monitor: _Optional[_Union[Monitor, _Mapping]] = ...) -> None: ...

class MonitorResponse(_message.Message):
    __slots__ = ("monitor",)
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    monitor: Monitor
    def __init__(self, monitor: _Optional[_Union[Monitor, _Mapping]] = ...) -> None: ...

class GetMonitorRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListMonitorsRequest(_message.Message):
    __slots__ = ("deployment", "page")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    page: _common_pb2.PageRequest
    def __init__(self, deployment: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMonitorsResponse(_message.Message):
    __slots__ = ("monitors", "next_page_token")
    MONITORS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    monitors: _containers.RepeatedCompositeFieldContainer[Monitor]
    next_page_token: str
    def __init__(self, monitors: _Optional[_Iterable[_Union[Monitor, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SetReferenceRequest(_message.Message):
    __slots__ = ("header", "rows")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    header: ReferenceHeader
    rows: ReferenceRows
    def __init__(self, header: _Optional[_Union[ReferenceHeader, _Mapping]] = ..., rows: _Optional[_Union[ReferenceRows, _Mapping]] = ...) -> None: ...

class ReferenceHeader(_message.Message):
    __slots__ = ("monitor", "profile_id")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    profile_id: str
    def __init__(self, monitor: _Optional[str] = ..., profile_id: _Optional[str] = ...) -> None: ...

class ReferenceRows(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[_common_pb2.Row]
    def __init__(self, rows: _Optional[_Iterable[_Union[_common_pb2.Row, _Mapping]]] = ...) -> None: ...

class SetReferenceResponse(_message.Message):
    __slots__ = ("rows_profiled", "profile_id")
    ROWS_PROFILED_FIELD_NUMBER: _ClassVar[int]
    PROFILE_ID_FIELD_NUMBER: _ClassVar[int]
    rows_profiled: int
    profile_id: str
    def __init__(self, rows_profiled: _Optional[int] = ..., profile_id: _Optional[str] = ...) -> None: ...

class PredictionRecord(_message.Message):
    __slots__ = ("request_id", "deployment", "variant", "model_name", "model_version", "time", "features", "outputs", "latency_ms")
    class FeaturesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    class OutputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    deployment: str
    variant: str
    model_name: str
    model_version: int
    time: _timestamp_pb2.Timestamp
    features: _containers.MessageMap[str, _common_pb2.Value]
    outputs: _containers.MessageMap[str, _common_pb2.Value]
    latency_ms: float
    def __init__(self, request_id: _Optional[str] = ..., deployment: _Optional[str] = ..., variant: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., features: _Optional[_Mapping[str, _common_pb2.Value]] = ..., outputs: _Optional[_Mapping[str, _common_pb2.Value]] = ..., latency_ms: _Optional[float] = ...) -> None: ...

class LogPredictionsRequest(_message.Message):
    __slots__ = ("monitor", "records", "columns")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    records: _containers.RepeatedCompositeFieldContainer[PredictionRecord]
    columns: PredictionColumns
    def __init__(self, monitor: _Optional[str] = ..., records: _Optional[_Iterable[_Union[PredictionRecord, _Mapping]]] = ..., columns: _Optional[_Union[PredictionColumns, _Mapping]] = ...) -> None: ...

class PredictionColumns(_message.Message):
    __slots__ = ("request_ids", "time_unix_ms", "latency_ms", "deployment", "variant", "model_version", "values")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ColumnVector
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ColumnVector, _Mapping]] = ...) -> None: ...
    REQUEST_IDS_FIELD_NUMBER: _ClassVar[int]
    TIME_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    request_ids: _containers.RepeatedScalarFieldContainer[str]
    time_unix_ms: _containers.RepeatedScalarFieldContainer[int]
    latency_ms: _containers.RepeatedScalarFieldContainer[float]
    deployment: str
    variant: str
    model_version: int
    values: _containers.MessageMap[str, ColumnVector]
    def __init__(self, request_ids: _Optional[_Iterable[str]] = ..., time_unix_ms: _Optional[_Iterable[int]] = ..., latency_ms: _Optional[_Iterable[float]] = ..., deployment: _Optional[str] = ..., variant: _Optional[str] = ..., model_version: _Optional[int] = ..., values: _Optional[_Mapping[str, ColumnVector]] = ...) -> None: ...

class ColumnVector(_message.Message):
    __slots__ = ("numbers", "texts")
    NUMBERS_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    numbers: _common_pb2.DoubleList
    texts: _common_pb2.StringList
    def __init__(self, numbers: _Optional[_Union[_common_pb2.DoubleList, _Mapping]] = ..., texts: _Optional[_Union[_common_pb2.StringList, _Mapping]] = ...) -> None: ...

class LogPredictionsResponse(_message.Message):
    __slots__ = ("records_accepted",)
    RECORDS_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    records_accepted: int
    def __init__(self, records_accepted: _Optional[int] = ...) -> None: ...

class LabelRecord(_message.Message):
    __slots__ = ("request_id", "label", "time")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    label: _common_pb2.Value
    time: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., label: _Optional[_Union[_common_pb2.Value, _Mapping]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LogLabelsRequest(_message.Message):
    __slots__ = ("monitor", "labels")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    labels: _containers.RepeatedCompositeFieldContainer[LabelRecord]
    def __init__(self, monitor: _Optional[str] = ..., labels: _Optional[_Iterable[_Union[LabelRecord, _Mapping]]] = ...) -> None: ...

class LogLabelsResponse(_message.Message):
    __slots__ = ("labels_matched", "labels_unmatched")
    LABELS_MATCHED_FIELD_NUMBER: _ClassVar[int]
    LABELS_UNMATCHED_FIELD_NUMBER: _ClassVar[int]
    labels_matched: int
    labels_unmatched: int
    def __init__(self, labels_matched: _Optional[int] = ..., labels_unmatched: _Optional[int] = ...) -> None: ...

class ComputeDriftRequest(_message.Message):
    __slots__ = ("monitor", "window_id", "rows", "tests")
    class TestsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: DriftTest
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[DriftTest, str]] = ...) -> None: ...
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    WINDOW_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TESTS_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    window_id: str
    rows: ReferenceRows
    tests: _containers.ScalarMap[str, DriftTest]
    def __init__(self, monitor: _Optional[str] = ..., window_id: _Optional[str] = ..., rows: _Optional[_Union[ReferenceRows, _Mapping]] = ..., tests: _Optional[_Mapping[str, DriftTest]] = ...) -> None: ...

class ColumnDrift(_message.Message):
    __slots__ = ("column", "test", "statistic", "p_value", "threshold", "drifted")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    TEST_FIELD_NUMBER: _ClassVar[int]
    STATISTIC_FIELD_NUMBER: _ClassVar[int]
    P_VALUE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    DRIFTED_FIELD_NUMBER: _ClassVar[int]
    column: str
    test: DriftTest
    statistic: float
    p_value: float
    threshold: float
    drifted: bool
    def __init__(self, column: _Optional[str] = ..., test: _Optional[_Union[DriftTest, str]] = ..., statistic: _Optional[float] = ..., p_value: _Optional[float] = ..., threshold: _Optional[float] = ..., drifted: _Optional[bool] = ...) -> None: ...

class DriftReport(_message.Message):
    __slots__ = ("report_id", "monitor", "window_id", "window_start", "window_end", "rows", "columns", "dataset_drift", "drifted_share", "performance", "computed_time")
    class PerformanceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    WINDOW_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    DATASET_DRIFT_FIELD_NUMBER: _ClassVar[int]
    DRIFTED_SHARE_FIELD_NUMBER: _ClassVar[int]
    PERFORMANCE_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_TIME_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    monitor: str
    window_id: str
    window_start: _timestamp_pb2.Timestamp
    window_end: _timestamp_pb2.Timestamp
    rows: int
    columns: _containers.RepeatedCompositeFieldContainer[ColumnDrift]
    dataset_drift: bool
    drifted_share: float
    performance: _containers.ScalarMap[str, float]
    computed_time: _timestamp_pb2.Timestamp
    def __init__(self, report_id: _Optional[str] = ..., monitor: _Optional[str] = ..., window_id: _Optional[str] = ..., window_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rows: _Optional[int] = ..., columns: _Optional[_Iterable[_Union[ColumnDrift, _Mapping]]] = ..., dataset_drift: _Optional[bool] = ..., drifted_share: _Optional[float] = ..., performance: _Optional[_Mapping[str, float]] = ..., computed_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DriftReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: DriftReport
    def __init__(self, report: _Optional[_Union[DriftReport, _Mapping]] = ...) -> None: ...

class GetDriftReportRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class ListDriftReportsRequest(_message.Message):
    __slots__ = ("monitor", "start_time", "end_time", "page")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    page: _common_pb2.PageRequest
    def __init__(self, monitor: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListDriftReportsResponse(_message.Message):
    __slots__ = ("reports", "next_page_token")
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[DriftReport]
    next_page_token: str
    def __init__(self, reports: _Optional[_Iterable[_Union[DriftReport, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetControlChartRequest(_message.Message):
    __slots__ = ("monitor", "metric")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    metric: str
    def __init__(self, monitor: _Optional[str] = ..., metric: _Optional[str] = ...) -> None: ...

class ChartPoint(_message.Message):
    __slots__ = ("window_end", "value", "statistic")
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    STATISTIC_FIELD_NUMBER: _ClassVar[int]
    window_end: _timestamp_pb2.Timestamp
    value: float
    statistic: float
    def __init__(self, window_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., value: _Optional[float] = ..., statistic: _Optional[float] = ...) -> None: ...

class ChartViolation(_message.Message):
    __slots__ = ("index", "rule", "description")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    index: int
    rule: str
    description: str
    def __init__(self, index: _Optional[int] = ..., rule: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class GetControlChartResponse(_message.Message):
    __slots__ = ("metric", "type", "points", "center_line", "upper_control_limit", "lower_control_limit", "violations")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    CENTER_LINE_FIELD_NUMBER: _ClassVar[int]
    UPPER_CONTROL_LIMIT_FIELD_NUMBER: _ClassVar[int]
    LOWER_CONTROL_LIMIT_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    metric: str
    type: ChartType
    points: _containers.RepeatedCompositeFieldContainer[ChartPoint]
    center_line: float
    upper_control_limit: float
    lower_control_limit: float
    violations: _containers.RepeatedCompositeFieldContainer[ChartViolation]
    def __init__(self, metric: _Optional[str] = ..., type: _Optional[_Union[ChartType, str]] = ..., points: _Optional[_Iterable[_Union[ChartPoint, _Mapping]]] = ..., center_line: _Optional[float] = ..., upper_control_limit: _Optional[float] = ..., lower_control_limit: _Optional[float] = ..., violations: _Optional[_Iterable[_Union[ChartViolation, _Mapping]]] = ...) -> None: ...

class ActionOutcome(_message.Message):
    __slots__ = ("action", "succeeded", "attempts", "detail", "time")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    SUCCEEDED_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    action: str
    succeeded: bool
    attempts: int
    detail: str
    time: _timestamp_pb2.Timestamp
    def __init__(self, action: _Optional[str] = ..., succeeded: _Optional[bool] = ..., attempts: _Optional[int] = ..., detail: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Alert(_message.Message):
    __slots__ = ("alert_id", "monitor", "kind", "state", "message", "dedup_key", "report_id", "created_time", "acknowledged_by", "outcomes")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DEDUP_KEY_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_BY_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    monitor: str
    kind: AlertKind
    state: AlertState
    message: str
    dedup_key: str
    report_id: str
    created_time: _timestamp_pb2.Timestamp
    acknowledged_by: str
    outcomes: _containers.RepeatedCompositeFieldContainer[ActionOutcome]
    def __init__(self, alert_id: _Optional[str] = ..., monitor: _Optional[str] = ..., kind: _Optional[_Union[AlertKind, str]] = ..., state: _Optional[_Union[AlertState, str]] = ..., message: _Optional[str] = ..., dedup_key: _Optional[str] = ..., report_id: _Optional[str] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_by: _Optional[str] = ..., outcomes: _Optional[_Iterable[_Union[ActionOutcome, _Mapping]]] = ...) -> None: ...

class AlertResponse(_message.Message):
    __slots__ = ("alert",)
    ALERT_FIELD_NUMBER: _ClassVar[int]
    alert: Alert
    def __init__(self, alert: _Optional[_Union[Alert, _Mapping]] = ...) -> None: ...

class ListAlertsRequest(_message.Message):
    __slots__ = ("monitor", "states", "page")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    states: _containers.RepeatedScalarFieldContainer[AlertState]
    page: _common_pb2.PageRequest
    def __init__(self, monitor: _Optional[str] = ..., states: _Optional[_Iterable[_Union[AlertState, str]]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAlertsResponse(_message.Message):
    __slots__ = ("alerts", "next_page_token")
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    alerts: _containers.RepeatedCompositeFieldContainer[Alert]
    next_page_token: str
    def __init__(self, alerts: _Optional[_Iterable[_Union[Alert, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AcknowledgeAlertRequest(_message.Message):
    __slots__ = ("alert_id", "comment")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    comment: str
    def __init__(self, alert_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class WatchAlertsRequest(_message.Message):
    __slots__ = ("monitor",)
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    def __init__(self, monitor: _Optional[str] = ...) -> None: ...
