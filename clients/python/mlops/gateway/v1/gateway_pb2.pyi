import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mlops.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_VIEWER: _ClassVar[Role]
    ROLE_EDITOR: _ClassVar[Role]
    ROLE_DEPLOYER: _ClassVar[Role]
    ROLE_ADMIN: _ClassVar[Role]

class PolicyAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POLICY_ACTION_UNSPECIFIED: _ClassVar[PolicyAction]
    POLICY_ACTION_CREATE_DEPLOYMENT: _ClassVar[PolicyAction]
    POLICY_ACTION_UPDATE_DEPLOYMENT: _ClassVar[PolicyAction]
    POLICY_ACTION_PROMOTE: _ClassVar[PolicyAction]
    POLICY_ACTION_SET_ALIAS: _ClassVar[PolicyAction]
ROLE_UNSPECIFIED: Role
ROLE_VIEWER: Role
ROLE_EDITOR: Role
ROLE_DEPLOYER: Role
ROLE_ADMIN: Role
POLICY_ACTION_UNSPECIFIED: PolicyAction
POLICY_ACTION_CREATE_DEPLOYMENT: PolicyAction
POLICY_ACTION_UPDATE_DEPLOYMENT: PolicyAction
POLICY_ACTION_PROMOTE: PolicyAction
POLICY_ACTION_SET_ALIAS: PolicyAction

class ApiKey(_message.Message):
    __slots__ = ("key_id", "name", "role", "created_time", "created_by", "revoked", "revoked_time", "last_used_time")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    REVOKED_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_TIME_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    name: str
    role: Role
    created_time: _timestamp_pb2.Timestamp
    created_by: str
    revoked: bool
    revoked_time: _timestamp_pb2.Timestamp
    last_used_time: _timestamp_pb2.Timestamp
    def __init__(self, key_id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[_Union[Role, str]] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., revoked: _Optional[bool] = ..., revoked_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateApiKeyRequest(_message.Message):
    __slots__ = ("name", "role")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    role: Role
    def __init__(self, name: _Optional[str] = ..., role: _Optional[_Union[Role, str]] = ...) -> None: ...

class CreateApiKeyResponse(_message.Message):
    __slots__ = ("api_key", "secret")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    api_key: ApiKey
    secret: str
    def __init__(self, api_key: _Optional[_Union[ApiKey, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class RevokeApiKeyRequest(_message.Message):
    __slots__ = ("key_id",)
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    def __init__(self, key_id: _Optional[str] = ...) -> None: ...

class RevokeApiKeyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListApiKeysRequest(_message.Message):
    __slots__ = ("include_revoked", "page")
    INCLUDE_REVOKED_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    include_revoked: bool
    page: _common_pb2.PageRequest
    def __init__(self, include_revoked: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListApiKeysResponse(_message.Message):
    __slots__ = ("api_keys", "next_page_token")
    API_KEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    api_keys: _containers.RepeatedCompositeFieldContainer[ApiKey]
    next_page_token: str
    def __init__(self, api_keys: _Optional[_Iterable[_Union[ApiKey, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MetricThreshold(_message.Message):
    __slots__ = ("metric", "op", "value")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    OP_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    metric: str
    op: str
    value: float
    def __init__(self, metric: _Optional[str] = ..., op: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...

class Policy(_message.Message):
    __slots__ = ("scope", "required_stage", "required_approvals", "require_signature", "metric_thresholds", "require_reference_profile", "updated_time", "updated_by", "require_canary", "max_canary_step")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_STAGE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_APPROVALS_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    METRIC_THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_REFERENCE_PROFILE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_CANARY_FIELD_NUMBER: _ClassVar[int]
    MAX_CANARY_STEP_FIELD_NUMBER: _ClassVar[int]
    scope: str
    required_stage: str
    required_approvals: int
    require_signature: bool
    metric_thresholds: _containers.RepeatedCompositeFieldContainer[MetricThreshold]
    require_reference_profile: bool
    updated_time: _timestamp_pb2.Timestamp
    updated_by: str
    require_canary: bool
    max_canary_step: float
    def __init__(self, scope: _Optional[str] = ..., required_stage: _Optional[str] = ..., required_approvals: _Optional[int] = ..., require_signature: _Optional[bool] = ..., metric_thresholds: _Optional[_Iterable[_Union[MetricThreshold, _Mapping]]] = ..., require_reference_profile: _Optional[bool] = ..., updated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[str] = ..., require_canary: _Optional[bool] = ..., max_canary_step: _Optional[float] = ...) -> None: ...

class SetPolicyRequest(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: Policy
    def __init__(self, policy: _Optional[_Union[Policy, _Mapping]] = ...) -> None: ...

class GetPolicyRequest(_message.Message):
    __slots__ = ("scope",)
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    scope: str
    def __init__(self, scope: _Optional[str] = ...) -> None: ...

class PolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: Policy
    def __init__(self, policy: _Optional[_Union[Policy, _Mapping]] = ...) -> None: ...

class EvaluatePolicyRequest(_message.Message):
    __slots__ = ("action", "deployment", "model")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    action: PolicyAction
    deployment: str
    model: _common_pb2.ModelRef
    def __init__(self, action: _Optional[_Union[PolicyAction, str]] = ..., deployment: _Optional[str] = ..., model: _Optional[_Union[_common_pb2.ModelRef, _Mapping]] = ...) -> None: ...

class RuleOutcome(_message.Message):
    __slots__ = ("rule", "passed", "message")
    RULE_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    rule: str
    passed: bool
    message: str
    def __init__(self, rule: _Optional[str] = ..., passed: _Optional[bool] = ..., message: _Optional[str] = ...) -> None: ...

class EvaluatePolicyResponse(_message.Message):
    __slots__ = ("allowed", "outcomes", "policy_scope")
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    POLICY_SCOPE_FIELD_NUMBER: _ClassVar[int]
    allowed: bool
    outcomes: _containers.RepeatedCompositeFieldContainer[RuleOutcome]
    policy_scope: str
    def __init__(self, allowed: _Optional[bool] = ..., outcomes: _Optional[_Iterable[_Union[RuleOutcome, _Mapping]]] = ..., policy_scope: _Optional[str] = ...) -> None: ...

class GetModelLineageRequest(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    def __init__(self, deployment: _Optional[str] = ...) -> None: ...

class DatasetRef(_message.Message):
    __slots__ = ("name", "digest", "source", "context")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    name: str
    digest: str
    source: str
    context: str
    def __init__(self, name: _Optional[str] = ..., digest: _Optional[str] = ..., source: _Optional[str] = ..., context: _Optional[str] = ...) -> None: ...

class VariantLineage(_message.Message):
    __slots__ = ("variant", "role", "model_name", "model_version", "stage", "content_digest", "run_id", "experiment_id", "run_metrics", "run_params", "datasets", "feature_views")
    class RunMetricsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class RunParamsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_METRICS_FIELD_NUMBER: _ClassVar[int]
    RUN_PARAMS_FIELD_NUMBER: _ClassVar[int]
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    FEATURE_VIEWS_FIELD_NUMBER: _ClassVar[int]
    variant: str
    role: str
    model_name: str
    model_version: int
    stage: str
    content_digest: str
    run_id: str
    experiment_id: str
    run_metrics: _containers.ScalarMap[str, float]
    run_params: _containers.ScalarMap[str, str]
    datasets: _containers.RepeatedCompositeFieldContainer[DatasetRef]
    feature_views: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, variant: _Optional[str] = ..., role: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[int] = ..., stage: _Optional[str] = ..., content_digest: _Optional[str] = ..., run_id: _Optional[str] = ..., experiment_id: _Optional[str] = ..., run_metrics: _Optional[_Mapping[str, float]] = ..., run_params: _Optional[_Mapping[str, str]] = ..., datasets: _Optional[_Iterable[_Union[DatasetRef, _Mapping]]] = ..., feature_views: _Optional[_Iterable[str]] = ...) -> None: ...

class MonitorStatus(_message.Message):
    __slots__ = ("monitor", "has_reference", "open_alerts", "last_dataset_drift", "last_report_time")
    MONITOR_FIELD_NUMBER: _ClassVar[int]
    HAS_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    OPEN_ALERTS_FIELD_NUMBER: _ClassVar[int]
    LAST_DATASET_DRIFT_FIELD_NUMBER: _ClassVar[int]
    LAST_REPORT_TIME_FIELD_NUMBER: _ClassVar[int]
    monitor: str
    has_reference: bool
    open_alerts: int
    last_dataset_drift: bool
    last_report_time: _timestamp_pb2.Timestamp
    def __init__(self, monitor: _Optional[str] = ..., has_reference: _Optional[bool] = ..., open_alerts: _Optional[int] = ..., last_dataset_drift: _Optional[bool] = ..., last_report_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetModelLineageResponse(_message.Message):
    __slots__ = ("deployment", "variants", "monitors")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    VARIANTS_FIELD_NUMBER: _ClassVar[int]
    MONITORS_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    variants: _containers.RepeatedCompositeFieldContainer[VariantLineage]
    monitors: _containers.RepeatedCompositeFieldContainer[MonitorStatus]
    def __init__(self, deployment: _Optional[str] = ..., variants: _Optional[_Iterable[_Union[VariantLineage, _Mapping]]] = ..., monitors: _Optional[_Iterable[_Union[MonitorStatus, _Mapping]]] = ...) -> None: ...

class ListAuditEventsRequest(_message.Message):
    __slots__ = ("actor", "deployment", "start_time", "end_time", "page")
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    actor: str
    deployment: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    page: _common_pb2.PageRequest
    def __init__(self, actor: _Optional[str] = ..., deployment: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GatewayAuditEvent(_message.Message):
    __slots__ = ("sequence", "time", "actor", "key_id", "method", "code", "deployment", "detail")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    time: _timestamp_pb2.Timestamp
    actor: str
    key_id: str
    method: str
    code: str
    deployment: str
    detail: str
    def __init__(self, sequence: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., key_id: _Optional[str] = ..., method: _Optional[str] = ..., code: _Optional[str] = ..., deployment: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class ListAuditEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[GatewayAuditEvent]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[GatewayAuditEvent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetPlatformStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ServiceStatus(_message.Message):
    __slots__ = ("name", "address", "status", "latency_ms", "version")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    name: str
    address: str
    status: str
    latency_ms: float
    version: str
    def __init__(self, name: _Optional[str] = ..., address: _Optional[str] = ..., status: _Optional[str] = ..., latency_ms: _Optional[float] = ..., version: _Optional[str] = ...) -> None: ...

class GetPlatformStatusResponse(_message.Message):
    __slots__ = ("services",)
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[ServiceStatus]
    def __init__(self, services: _Optional[_Iterable[_Union[ServiceStatus, _Mapping]]] = ...) -> None: ...
