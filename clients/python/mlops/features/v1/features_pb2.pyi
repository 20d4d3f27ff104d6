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

class PushTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PUSH_TARGET_ONLINE_AND_OFFLINE: _ClassVar[PushTarget]
    PUSH_TARGET_ONLINE: _ClassVar[PushTarget]
    PUSH_TARGET_OFFLINE: _ClassVar[PushTarget]

class FeatureStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEATURE_STATUS_INVALID: _ClassVar[FeatureStatus]
    FEATURE_STATUS_PRESENT: _ClassVar[FeatureStatus]
    FEATURE_STATUS_NULL_VALUE: _ClassVar[FeatureStatus]
    FEATURE_STATUS_NOT_FOUND: _ClassVar[FeatureStatus]
    FEATURE_STATUS_OUTSIDE_MAX_AGE: _ClassVar[FeatureStatus]
PUSH_TARGET_ONLINE_AND_OFFLINE: PushTarget
PUSH_TARGET_ONLINE: PushTarget
PUSH_TARGET_OFFLINE: PushTarget
FEATURE_STATUS_INVALID: FeatureStatus
FEATURE_STATUS_PRESENT: FeatureStatus
FEATURE_STATUS_NULL_VALUE: FeatureStatus
FEATURE_STATUS_NOT_FOUND: FeatureStatus
FEATURE_STATUS_OUTSIDE_MAX_AGE: FeatureStatus

class Entity(_message.Message):
    __slots__ = ("name", "join_key", "value_type", "description", "tags")
    class TagsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    JOIN_KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    join_key: str
    value_type: _common_pb2.ValueType
    description: str
    tags: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., join_key: _Optional[str] = ..., value_type: _Optional[_Union[_common_pb2.ValueType, str]] = ..., description: _Optional[str] = ..., tags: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Feature(_message.Message):
    __slots__ = ("name", "type", "description", "tags")
    class TagsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: _common_pb2.ValueType
    description: str
    tags: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[_common_pb2.ValueType, str]] = ..., description: _Optional[str] = ..., tags: _Optional[_Mapping[str, str]] = ...) -> None: ...

class FeatureView(_message.Message):
    __slots__ = ("name", "entities", "features", "ttl", "online", "offline", "tags", "owner", "description", "version", "created_time", "updated_time", "join_keys")
    class TagsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIME_FIELD_NUMBER: _ClassVar[int]
    JOIN_KEYS_FIELD_NUMBER: _ClassVar[int]
    name: str
    entities: _containers.RepeatedScalarFieldContainer[str]
    features: _containers.RepeatedCompositeFieldContainer[Feature]
    ttl: _duration_pb2.Duration
    online: bool
    offline: bool
    tags: _containers.ScalarMap[str, str]
    owner: str
    description: str
    version: int
    created_time: _timestamp_pb2.Timestamp
    updated_time: _timestamp_pb2.Timestamp
    join_keys: _containers.RepeatedCompositeFieldContainer[_common_pb2.ColumnSchema]
    def __init__(self, name: _Optional[str] = ..., entities: _Optional[_Iterable[str]] = ..., features: _Optional[_Iterable[_Union[Feature, _Mapping]]] = ..., ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., online: _Optional[bool] = ..., offline: _Optional[bool] = ..., tags: _Optional[_Mapping[str, str]] = ..., owner: _Optional[str] = ..., description: _Optional[str] = ..., version: _Optional[int] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., join_keys: _Optional[_Iterable[_Union[_common_pb2.ColumnSchema, _Mapping]]] = ...) -> None: ...

class ApplyEntityRequest(_message.Message):
    __slots__ = ("entity",)
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    entity: Entity
    def __init__(self, entity: _Optional[_Union[Entity, _Mapping]] = ...) -> None: ...

class ApplyEntityResponse(_message.Message):
    __slots__ = ("entity",)
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    entity: Entity
    def __init__(self, entity: _Optional[_Union[Entity, _Mapping]] = ...) -> None: ...

class ApplyFeatureViewRequest(_message.Message):
    __slots__ = ("feature_view", "force")
    FEATURE_VIEW_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    feature_view: FeatureView
    force: bool
    def __init__(self, feature_view: _Optional[_Union[FeatureView, _Mapping]] = ..., force: _Optional[bool] = ...) -> None: ...

class ApplyFeatureViewResponse(_message.Message):
    __slots__ = ("feature_view", "changed")
    FEATURE_VIEW_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    feature_view: FeatureView
    changed: bool
    def __init__(self, feature_view: _Optional[_Union[FeatureView, _Mapping]] = ..., changed: _Optional[bool] = ...) -> None: ...

class GetFeatureViewRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetFeatureViewResponse(_message.Message):
    __slots__ = ("feature_view",)
    FEATURE_VIEW_FIELD_NUMBER: _ClassVar[int]
    feature_view: FeatureView
    def __init__(self, feature_view: _Optional[_Union[FeatureView, _Mapping]] = ...) -> None: ...

class ListFeatureViewsRequest(_message.Message):
    __slots__ = ("tags", "page")
    class TagsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TAGS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.ScalarMap[str, str]
    page: _common_pb2.PageRequest
    def __init__(self, tags: _Optional[_Mapping[str, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListFeatureViewsResponse(_message.Message):
    __slots__ = ("feature_views", "next_page_token")
    FEATURE_VIEWS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    feature_views: _containers.RepeatedCompositeFieldContainer[FeatureView]
    next_page_token: str
    def __init__(self, feature_views: _Optional[_Iterable[_Union[FeatureView, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteFeatureViewRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteFeatureViewResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FeatureService(_message.Message):
    __slots__ = ("name", "features", "description", "tags", "owner")
    class TagsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    name: str
    features: _containers.RepeatedScalarFieldContainer[str]
    description: str
    tags: _containers.ScalarMap[str, str]
    owner: str
    def __init__(self, name: _Optional[str] = ..., features: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ..., tags: _Optional[_Mapping[str, str]] = ..., owner: _Optional[str] = ...) -> None: ...

class ApplyFeatureServiceRequest(_message.Message):
    __slots__ = ("feature_service",)
    FEATURE_SERVICE_FIELD_NUMBER: _ClassVar[int]
    feature_service: FeatureService
    def __init__(self, feature_service: _Optional[_Union[FeatureService, _Mapping]] = ...) -> None: ...

class ApplyFeatureServiceResponse(_message.Message):
    __slots__ = ("feature_service",)
    FEATURE_SERVICE_FIELD_NUMBER: _ClassVar[int]
    feature_service: FeatureService
    def __init__(self, feature_service: _Optional[_Union[FeatureService, _Mapping]] = ...) -> None: ...

class FeatureRow(_message.Message):
    __slots__ = ("entity_key", "event_time", "created_time", "features")
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    class FeaturesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    entity_key: _containers.MessageMap[str, _common_pb2.Value]
    event_time: _timestamp_pb2.Timestamp
    created_time: _timestamp_pb2.Timestamp
    features: _containers.MessageMap[str, _common_pb2.Value]
    def __init__(self, entity_key: _Optional[_Mapping[str, _common_pb2.Value]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., features: _Optional[_Mapping[str, _common_pb2.Value]] = ...) -> None: ...

class PushRequest(_message.Message):
    __slots__ = ("feature_view", "rows", "to", "columns")
    FEATURE_VIEW_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    feature_view: str
    rows: _containers.RepeatedCompositeFieldContainer[FeatureRow]
    to: PushTarget
    columns: FeatureColumns
    def __init__(self, feature_view: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[FeatureRow, _Mapping]]] = ..., to: _Optional[_Union[PushTarget, str]] = ..., columns: _Optional[_Union[FeatureColumns, _Mapping]] = ...) -> None: ...

class FeatureColumns(_message.Message):
    __slots__ = ("event_time_micros", "created_time_micros", "entity_key", "features")
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: FeatureColumn
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[FeatureColumn, _Mapping]] = ...) -> None: ...
    class FeaturesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: FeatureColumn
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[FeatureColumn, _Mapping]] = ...) -> None: ...
    EVENT_TIME_MICROS_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_MICROS_FIELD_NUMBER: _ClassVar[int]
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    event_time_micros: _containers.RepeatedScalarFieldContainer[int]
    created_time_micros: _containers.RepeatedScalarFieldContainer[int]
    entity_key: _containers.MessageMap[str, FeatureColumn]
    features: _containers.MessageMap[str, FeatureColumn]
    def __init__(self, event_time_micros: _Optional[_Iterable[int]] = ..., created_time_micros: _Optional[_Iterable[int]] = ..., entity_key: _Optional[_Mapping[str, FeatureColumn]] = ..., features: _Optional[_Mapping[str, FeatureColumn]] = ...) -> None: ...

class FeatureColumn(_message.Message):
    __slots__ = ("int64_values", "double_values", "float_values", "string_values", "bool_values", "bytes_values", "null_rows")
    INT64_VALUES_FIELD_NUMBER: _ClassVar[int]
    DOUBLE_VALUES_FIELD_NUMBER: _ClassVar[int]
    FLOAT_VALUES_FIELD_NUMBER: _ClassVar[int]
    STRING_VALUES_FIELD_NUMBER: _ClassVar[int]
    BOOL_VALUES_FIELD_NUMBER: _ClassVar[int]
    BYTES_VALUES_FIELD_NUMBER: _ClassVar[int]
    NULL_ROWS_FIELD_NUMBER: _ClassVar[int]
    int64_values: _common_pb2.Int64List
    double_values: _common_pb2.DoubleList
    float_values: _common_pb2.FloatList
    string_values: _common_pb2.StringList
    bool_values: _common_pb2.BoolList
    bytes_values: BytesList
    null_rows: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, int64_values: _Optional[_Union[_common_pb2.Int64List, _Mapping]] = ..., double_values: _Optional[_Union[_common_pb2.DoubleList, _Mapping]] = ..., float_values: _Optional[_Union[_common_pb2.FloatList, _Mapping]] = ..., string_values: _Optional[_Union[_common_pb2.StringList, _Mapping]] = ..., bool_values: _Optional[_Union[_common_pb2.BoolList, _Mapping]] = ..., bytes_values: _Optional[_Union[BytesList, _Mapping]] = ..., null_rows: _Optional[_Iterable[int]] = ...) -> None: ...

class BytesList(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[bytes]
    def __init__(self, values: _Optional[_Iterable[bytes]] = ...) -> None: ...

class PushResponse(_message.Message):
    __slots__ = ("rows_written", "rows_superseded")
    ROWS_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    ROWS_SUPERSEDED_FIELD_NUMBER: _ClassVar[int]
    rows_written: int
    rows_superseded: int
    def __init__(self, rows_written: _Optional[int] = ..., rows_superseded: _Optional[int] = ...) -> None: ...

class FeatureValue(_message.Message):
    __slots__ = ("value", "status", "event_time")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    value: _common_pb2.Value
    status: FeatureStatus
    event_time: _timestamp_pb2.Timestamp
    def __init__(self, value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ..., status: _Optional[_Union[FeatureStatus, str]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetOnlineFeaturesRequest(_message.Message):
    __slots__ = ("features", "feature_service", "entity_rows")
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    FEATURE_SERVICE_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ROWS_FIELD_NUMBER: _ClassVar[int]
    features: _containers.RepeatedScalarFieldContainer[str]
    feature_service: str
    entity_rows: _containers.RepeatedCompositeFieldContainer[_common_pb2.Row]
    def __init__(self, features: _Optional[_Iterable[str]] = ..., feature_service: _Optional[str] = ..., entity_rows: _Optional[_Iterable[_Union[_common_pb2.Row, _Mapping]]] = ...) -> None: ...

class GetOnlineFeaturesResponse(_message.Message):
    __slots__ = ("feature_names", "results")
    FEATURE_NAMES_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    feature_names: _containers.RepeatedScalarFieldContainer[str]
    results: _containers.RepeatedCompositeFieldContainer[OnlineFeatureRow]
    def __init__(self, feature_names: _Optional[_Iterable[str]] = ..., results: _Optional[_Iterable[_Union[OnlineFeatureRow, _Mapping]]] = ...) -> None: ...

class OnlineFeatureRow(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedCompositeFieldContainer[FeatureValue]
    def __init__(self, values: _Optional[_Iterable[_Union[FeatureValue, _Mapping]]] = ...) -> None: ...

class EntityTimestampRow(_message.Message):
    __slots__ = ("entity_key", "event_time")
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    entity_key: _containers.MessageMap[str, _common_pb2.Value]
    event_time: _timestamp_pb2.Timestamp
    def __init__(self, entity_key: _Optional[_Mapping[str, _common_pb2.Value]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetHistoricalFeaturesRequest(_message.Message):
    __slots__ = ("features", "feature_service", "entity_rows", "entity_columns", "columnar")
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    FEATURE_SERVICE_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ROWS_FIELD_NUMBER: _ClassVar[int]
    ENTITY_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    COLUMNAR_FIELD_NUMBER: _ClassVar[int]
    features: _containers.RepeatedScalarFieldContainer[str]
    feature_service: str
    entity_rows: _containers.RepeatedCompositeFieldContainer[EntityTimestampRow]
    entity_columns: EntityColumns
    columnar: bool
    def __init__(self, features: _Optional[_Iterable[str]] = ..., feature_service: _Optional[str] = ..., entity_rows: _Optional[_Iterable[_Union[EntityTimestampRow, _Mapping]]] = ..., entity_columns: _Optional[_Union[EntityColumns, _Mapping]] = ..., columnar: _Optional[bool] = ...) -> None: ...

class EntityColumns(_message.Message):
    __slots__ = ("entity_key", "event_time_micros")
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: FeatureColumn
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[FeatureColumn, _Mapping]] = ...) -> None: ...
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_MICROS_FIELD_NUMBER: _ClassVar[int]
    entity_key: _containers.MessageMap[str, FeatureColumn]
    event_time_micros: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, entity_key: _Optional[_Mapping[str, FeatureColumn]] = ..., event_time_micros: _Optional[_Iterable[int]] = ...) -> None: ...

class GetHistoricalFeaturesResponse(_message.Message):
    __slots__ = ("feature_names", "rows", "columns")
    FEATURE_NAMES_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    feature_names: _containers.RepeatedScalarFieldContainer[str]
    rows: _containers.RepeatedCompositeFieldContainer[HistoricalRow]
    columns: HistoricalColumns
    def __init__(self, feature_names: _Optional[_Iterable[str]] = ..., rows: _Optional[_Iterable[_Union[HistoricalRow, _Mapping]]] = ..., columns: _Optional[_Union[HistoricalColumns, _Mapping]] = ...) -> None: ...

class HistoricalColumns(_message.Message):
    __slots__ = ("row_index", "features")
    ROW_INDEX_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    row_index: _containers.RepeatedScalarFieldContainer[int]
    features: _containers.RepeatedCompositeFieldContainer[JoinedColumn]
    def __init__(self, row_index: _Optional[_Iterable[int]] = ..., features: _Optional[_Iterable[_Union[JoinedColumn, _Mapping]]] = ...) -> None: ...

class JoinedColumn(_message.Message):
    __slots__ = ("values", "status", "event_time_micros")
    VALUES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_MICROS_FIELD_NUMBER: _ClassVar[int]
    values: FeatureColumn
    status: _containers.RepeatedScalarFieldContainer[int]
    event_time_micros: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, values: _Optional[_Union[FeatureColumn, _Mapping]] = ..., status: _Optional[_Iterable[int]] = ..., event_time_micros: _Optional[_Iterable[int]] = ...) -> None: ...

class HistoricalRow(_message.Message):
    __slots__ = ("row_index", "entity_key", "event_time", "values")
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    ROW_INDEX_FIELD_NUMBER: _ClassVar[int]
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    row_index: int
    entity_key: _containers.MessageMap[str, _common_pb2.Value]
    event_time: _timestamp_pb2.Timestamp
    values: _containers.RepeatedCompositeFieldContainer[FeatureValue]
    def __init__(self, row_index: _Optional[int] = ..., entity_key: _Optional[_Mapping[str, _common_pb2.Value]] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., values: _Optional[_Iterable[_Union[FeatureValue, _Mapping]]] = ...) -> None: ...

class MaterializeRequest(_message.Message):
    __slots__ = ("feature_views", "start_time", "end_time")
    FEATURE_VIEWS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    feature_views: _containers.RepeatedScalarFieldContainer[str]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, feature_views: _Optional[_Iterable[str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MaterializeIncrementalRequest(_message.Message):
    __slots__ = ("feature_views", "end_time")
    FEATURE_VIEWS_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    feature_views: _containers.RepeatedScalarFieldContainer[str]
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, feature_views: _Optional[_Iterable[str]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MaterializeResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[MaterializeResult]
    def __init__(self, results: _Optional[_Iterable[_Union[MaterializeResult, _Mapping]]] = ...) -> None: ...

class MaterializeResult(_message.Message):
    __slots__ = ("feature_view", "rows_written", "watermark")
    FEATURE_VIEW_FIELD_NUMBER: _ClassVar[int]
    ROWS_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_FIELD_NUMBER: _ClassVar[int]
    feature_view: str
    rows_written: int
    watermark: _timestamp_pb2.Timestamp
    def __init__(self, feature_view: _Optional[str] = ..., rows_written: _Optional[int] = ..., watermark: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CheckConsistencyRequest(_message.Message):
    __slots__ = ("feature_views", "sample_size")
    FEATURE_VIEWS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_SIZE_FIELD_NUMBER: _ClassVar[int]
    feature_views: _containers.RepeatedScalarFieldContainer[str]
    sample_size: int
    def __init__(self, feature_views: _Optional[_Iterable[str]] = ..., sample_size: _Optional[int] = ...) -> None: ...

class CheckConsistencyResponse(_message.Message):
    __slots__ = ("values_checked", "mismatches")
    VALUES_CHECKED_FIELD_NUMBER: _ClassVar[int]
    MISMATCHES_FIELD_NUMBER: _ClassVar[int]
    values_checked: int
    mismatches: _containers.RepeatedCompositeFieldContainer[ConsistencyMismatch]
    def __init__(self, values_checked: _Optional[int] = ..., mismatches: _Optional[_Iterable[_Union[ConsistencyMismatch, _Mapping]]] = ...) -> None: ...

class ConsistencyMismatch(_message.Message):
    __slots__ = ("feature_view", "entity_key", "feature", "online", "offline")
    class EntityKeyEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _common_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.Value, _Mapping]] = ...) -> None: ...
    FEATURE_VIEW_FIELD_NUMBER: _ClassVar[int]
    ENTITY_KEY_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    OFFLINE_FIELD_NUMBER: _ClassVar[int]
    feature_view: str
    entity_key: _containers.MessageMap[str, _common_pb2.Value]
    feature: str
    online: FeatureValue
    offline: FeatureValue
    def __init__(self, feature_view: _Optional[str] = ..., entity_key: _Optional[_Mapping[str, _common_pb2.Value]] = ..., feature: _Optional[str] = ..., online: _Optional[_Union[FeatureValue, _Mapping]] = ..., offline: _Optional[_Union[FeatureValue, _Mapping]] = ...) -> None: ...
