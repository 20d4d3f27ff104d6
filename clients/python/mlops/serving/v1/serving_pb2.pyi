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

class Strategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STRATEGY_UNSPECIFIED: _ClassVar[Strategy]
    STRATEGY_SINGLE: _ClassVar[Strategy]
    STRATEGY_AB: _ClassVar[Strategy]
    STRATEGY_CANARY: _ClassVar[Strategy]

class VariantRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VARIANT_ROLE_UNSPECIFIED: _ClassVar[VariantRole]
    VARIANT_ROLE_PRIMARY: _ClassVar[VariantRole]
    VARIANT_ROLE_CANARY: _ClassVar[VariantRole]
    VARIANT_ROLE_SHADOW: _ClassVar[VariantRole]

class RolloutPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLLOUT_PHASE_UNSPECIFIED: _ClassVar[RolloutPhase]
    ROLLOUT_PHASE_STABLE: _ClassVar[RolloutPhase]
    ROLLOUT_PHASE_PROGRESSING: _ClassVar[RolloutPhase]
    ROLLOUT_PHASE_PAUSED: _ClassVar[RolloutPhase]
    ROLLOUT_PHASE_PROMOTED: _ClassVar[RolloutPhase]
    ROLLOUT_PHASE_ROLLED_BACK: _ClassVar[RolloutPhase]
STRATEGY_UNSPECIFIED: Strategy
STRATEGY_SINGLE: Strategy
STRATEGY_AB: Strategy
STRATEGY_CANARY: Strategy
VARIANT_ROLE_UNSPECIFIED: VariantRole
VARIANT_ROLE_PRIMARY: VariantRole
VARIANT_ROLE_CANARY: VariantRole
VARIANT_ROLE_SHADOW: VariantRole
ROLLOUT_PHASE_UNSPECIFIED: RolloutPhase
ROLLOUT_PHASE_STABLE: RolloutPhase
ROLLOUT_PHASE_PROGRESSING: RolloutPhase
ROLLOUT_PHASE_PAUSED: RolloutPhase
ROLLOUT_PHASE_PROMOTED: RolloutPhase
ROLLOUT_PHASE_ROLLED_BACK: RolloutPhase

class Variant(_message.Message):
    __slots__ = ("name", "model", "role", "weight", "remote_endpoint", "mirror_fraction", "resolved_version")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    REMOTE_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    MIRROR_FRACTION_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    name: str
    model: _common_pb2.ModelRef
    role: VariantRole
    weight: float
    remote_endpoint: str
    mirror_fraction: float
    resolved_version: int
    def __init__(self, name: _Optional[str] = ..., model: _Optional[_Union[_common_pb2.ModelRef, _Mapping]] = ..., role: _Optional[_Union[VariantRole, str]] = ..., weight: _Optional[float] = ..., remote_endpoint: _Optional[str] = ..., mirror_fraction: _Optional[float] = ..., resolved_version: _Optional[int] = ...) -> None: ...

class AnalysisCriteria(_message.Message):
    __slots__ = ("max_error_rate", "max_latency_p50_ms", "max_latency_p99_ms", "use_monitor_alerts", "min_requests")
    MAX_ERROR_RATE_FIELD_NUMBER: _ClassVar[int]
    MAX_LATENCY_P50_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_LATENCY_P99_MS_FIELD_NUMBER: _ClassVar[int]
    USE_MONITOR_ALERTS_FIELD_NUMBER: _ClassVar[int]
    MIN_REQUESTS_FIELD_NUMBER: _ClassVar[int]
    max_error_rate: float
    max_latency_p50_ms: float
    max_latency_p99_ms: float
    use_monitor_alerts: bool
    min_requests: int
    def __init__(self, max_error_rate: _Optional[float] = ..., max_latency_p50_ms: _Optional[float] = ..., max_latency_p99_ms: _Optional[float] = ..., use_monitor_alerts: _Optional[bool] = ..., min_requests: _Optional[int] = ...) -> None: ...

class CanaryPolicy(_message.Message):
    __slots__ = ("step_weights", "interval", "analysis", "failure_limit", "auto_promote")
    STEP_WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    AUTO_PROMOTE_FIELD_NUMBER: _ClassVar[int]
    step_weights: _containers.RepeatedScalarFieldContainer[float]
    interval: _duration_pb2.Duration
    analysis: AnalysisCriteria
    failure_limit: int
    auto_promote: bool
    def __init__(self, step_weights: _Optional[_Iterable[float]] = ..., interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., analysis: _Optional[_Union[AnalysisCriteria, _Mapping]] = ..., failure_limit: _Optional[int] = ..., auto_promote: _Optional[bool] = ...) -> None: ...

class RoutingPolicy(_message.Message):
    __slots__ = ("sticky_key", "override_header")
    STICKY_KEY_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_HEADER_FIELD_NUMBER: _ClassVar[int]
    sticky_key: str
    override_header: str
    def __init__(self, sticky_key: _Optional[str] = ..., override_header: _Optional[str] = ...) -> None: ...

class FeatureEnrichment(_message.Message):
    __slots__ = ("features", "refuse_missing")
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    REFUSE_MISSING_FIELD_NUMBER: _ClassVar[int]
    features: _containers.RepeatedScalarFieldContainer[str]
    refuse_missing: bool
    def __init__(self, features: _Optional[_Iterable[str]] = ..., refuse_missing: _Optional[bool] = ...) -> None: ...

class ResponseCache(_message.Message):
    __slots__ = ("max_entries", "ttl")
    MAX_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    max_entries: int
    ttl: _duration_pb2.Duration
    def __init__(self, max_entries: _Optional[int] = ..., ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class Deployment(_message.Message):
    __slots__ = ("name", "description", "strategy", "variants", "canary", "routing", "enrichment", "monitor_sample_rate", "generation", "created_time", "updated_time", "cache")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    VARIANTS_FIELD_NUMBER: _ClassVar[int]
    CANARY_FIELD_NUMBER: _ClassVar[int]
    ROUTING_FIELD_NUMBER: _ClassVar[int]
    ENRICHMENT_FIELD_NUMBER: _ClassVar[int]
    MONITOR_SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIME_FIELD_NUMBER: _ClassVar[int]
    CACHE_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    strategy: Strategy
    variants: _containers.RepeatedCompositeFieldContainer[Variant]
    canary: CanaryPolicy
    routing: RoutingPolicy
    enrichment: FeatureEnrichment
    monitor_sample_rate: float
    generation: int
    created_time: _timestamp_pb2.Timestamp
    updated_time: _timestamp_pb2.Timestamp
    cache: ResponseCache
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., strategy: _Optional[_Union[Strategy, str]] = ..., variants: _Optional[_Iterable[_Union[Variant, _Mapping]]] = ..., canary: _Optional[_Union[CanaryPolicy, _Mapping]] = ..., routing: _Optional[_Union[RoutingPolicy, _Mapping]] = ..., enrichment: _Optional[_Union[FeatureEnrichment, _Mapping]] = ..., monitor_sample_rate: _Optional[float] = ..., generation: _Optional[int] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cache: _Optional[_Union[ResponseCache, _Mapping]] = ...) -> None: ...

class CreateDeploymentRequest(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: Deployment
    def __init__(self, deployment: _Optional[_Union[Deployment, _Mapping]] = ...) -> None: ...

class UpdateDeploymentRequest(_message.Message):
    __slots__ = ("deployment", "expected_generation")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_GENERATION_FIELD_NUMBER: _ClassVar[int]
    deployment: Deployment
    expected_generation: int
    def __init__(self, deployment: _Optional[_Union[Deployment, _Mapping]] = ..., expected_generation: _Optional[int] = ...) -> None: ...

class DeploymentResponse(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: Deployment
    def __init__(self, deployment: _Optional[_Union[Deployment, _Mapping]] = ...) -> None: ...

class GetDeploymentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListDeploymentsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListDeploymentsResponse(_message.Message):
    __slots__ = ("deployments", "next_page_token")
    DEPLOYMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deployments: _containers.RepeatedCompositeFieldContainer[Deployment]
    next_page_token: str
    def __init__(self, deployments: _Optional[_Iterable[_Union[Deployment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteDeploymentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteDeploymentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PredictInstance(_message.Message):
    __slots__ = ("features", "entity_key")
    class FeaturesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    features: _containers.MessageMap[str, _common_pb2.Value]
    entity_key: _containers.MessageMap[str, _common_pb2.Value]
    def __init__(self, features: _Optional[_Mapping[str, _common_pb2.Value]] = ..., entity_key: _Optional[_Mapping[str, _common_pb2.Value]] = ...) -> None: ...

class PredictRequest(_message.Message):
    __slots__ = ("deployment", "instances", "routing_key", "request_id")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    ROUTING_KEY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    instances: _containers.RepeatedCompositeFieldContainer[PredictInstance]
    routing_key: str
    request_id: str
    def __init__(self, deployment: _Optional[str] = ..., instances: _Optional[_Iterable[_Union[PredictInstance, _Mapping]]] = ..., routing_key: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class PredictResponse(_message.Message):
    __slots__ = ("outputs", "variant", "model_name", "model_version", "request_id", "cached")
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CACHED_FIELD_NUMBER: _ClassVar[int]
    outputs: _containers.RepeatedCompositeFieldContainer[_common_pb2.Row]
    variant: str
    model_name: str
    model_version: int
    request_id: str
    cached: bool
    def __init__(self, outputs: _Optional[_Iterable[_Union[_common_pb2.Row, _Mapping]]] = ..., variant: _Optional[str] = ..., model_name: _Optional[str] = ..., model_version: _Optional[int] = ..., request_id: _Optional[str] = ..., cached: _Optional[bool] = ...) -> None: ...

class VariantAnalysis(_message.Message):
    __slots__ = ("variant", "requests", "errors", "latency_p50_ms", "latency_p99_ms", "open_alerts", "agreement_rate", "dropped")
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P50_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P99_MS_FIELD_NUMBER: _ClassVar[int]
    OPEN_ALERTS_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_RATE_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FIELD_NUMBER: _ClassVar[int]
    variant: str
    requests: int
    errors: int
    latency_p50_ms: float
    latency_p99_ms: float
    open_alerts: int
    agreement_rate: float
    dropped: int
    def __init__(self, variant: _Optional[str] = ..., requests: _Optional[int] = ..., errors: _Optional[int] = ..., latency_p50_ms: _Optional[float] = ..., latency_p99_ms: _Optional[float] = ..., open_alerts: _Optional[int] = ..., agreement_rate: _Optional[float] = ..., dropped: _Optional[int] = ...) -> None: ...

class RolloutStatus(_message.Message):
    __slots__ = ("deployment", "phase", "step", "canary_weight", "failed_checks", "analysis", "message", "updated_time")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    CANARY_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    FAILED_CHECKS_FIELD_NUMBER: _ClassVar[int]
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIME_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    phase: RolloutPhase
    step: int
    canary_weight: float
    failed_checks: int
    analysis: _containers.RepeatedCompositeFieldContainer[VariantAnalysis]
    message: str
    updated_time: _timestamp_pb2.Timestamp
    def __init__(self, deployment: _Optional[str] = ..., phase: _Optional[_Union[RolloutPhase, str]] = ..., step: _Optional[int] = ..., canary_weight: _Optional[float] = ..., failed_checks: _Optional[int] = ..., analysis: _Optional[_Iterable[_Union[VariantAnalysis, _Mapping]]] = ..., message: _Optional[str] = ..., updated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RolloutStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: RolloutStatus
    def __init__(self, status: _Optional[_Union[RolloutStatus, _Mapping]] = ...) -> None: ...

class PromoteRequest(_message.Message):
    __slots__ = ("deployment", "comment")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    comment: str
    def __init__(self, deployment: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RollbackRequest(_message.Message):
    __slots__ = ("deployment", "reason")
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    reason: str
    def __init__(self, deployment: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PauseRolloutRequest(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    def __init__(self, deployment: _Optional[str] = ...) -> None: ...

class ResumeRolloutRequest(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    def __init__(self, deployment: _Optional[str] = ...) -> None: ...

class GetRolloutStatusRequest(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    def __init__(self, deployment: _Optional[str] = ...) -> None: ...

class WatchRolloutRequest(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: str
    def __init__(self, deployment: _Optional[str] = ...) -> None: ...
