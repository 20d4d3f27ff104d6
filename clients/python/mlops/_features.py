"""The feature store: definitions, pushes from DataFrames, online and point-in-time reads."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from google.protobuf import duration_pb2, timestamp_pb2

from mlops._progress import Progress
from mlops._transport import Transport
from mlops._values import from_value, records, to_row, typed_value, value_type
from mlops.common.v1 import common_pb2
from mlops.features.v1 import features_pb2 as fpb
from mlops.features.v1 import features_pb2_grpc

LIST_TYPES = {
    common_pb2.VALUE_TYPE_INT64_LIST, common_pb2.VALUE_TYPE_DOUBLE_LIST, common_pb2.VALUE_TYPE_FLOAT_LIST,
    common_pb2.VALUE_TYPE_STRING_LIST, common_pb2.VALUE_TYPE_BOOL_LIST,
}
# Which FeatureColumn list carries each scalar type, and the placeholder a null row holds.
COLUMN_LISTS: dict[int, tuple[str, Any, Any]] = {
    common_pb2.VALUE_TYPE_INT64: ("int64_values", common_pb2.Int64List, 0),
    common_pb2.VALUE_TYPE_DOUBLE: ("double_values", common_pb2.DoubleList, 0.0),
    common_pb2.VALUE_TYPE_FLOAT: ("float_values", common_pb2.FloatList, 0.0),
    common_pb2.VALUE_TYPE_STRING: ("string_values", common_pb2.StringList, ""),
    common_pb2.VALUE_TYPE_BOOL: ("bool_values", common_pb2.BoolList, False),
    common_pb2.VALUE_TYPE_BYTES: ("bytes_values", fpb.BytesList, b""),
}
TARGETS = {"online_and_offline": fpb.PUSH_TARGET_ONLINE_AND_OFFLINE, "online": fpb.PUSH_TARGET_ONLINE, "offline": fpb.PUSH_TARGET_OFFLINE}


class Features:
    """``client.features``: entities, feature views, pushes and reads."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._store = features_pb2_grpc.FeatureStoreServiceStub(transport.channel)

    def apply(self, definitions: Mapping[str, Any]) -> None:
        """Applies a whole set of definitions in the form ``mlops features apply`` reads:
        ``{"entities": [{"name", "join_key", "value_type"}], "feature_views": [{"name",
        "entities", "features": [{"name", "type"}], "ttl_seconds", "online", "offline"}],
        "feature_services": [{"name", "features"}]}`` — entities first, then views, then
        services, so each finds what it names."""
        for entity in definitions.get("entities", []):
            self.apply_entity(entity["name"], entity.get("join_key", entity["name"]), entity.get("value_type", "int64"), entity.get("description", ""))
        for view in definitions.get("feature_views", []):
            self.apply_view(
                view["name"], view["entities"], {f["name"]: f["type"] for f in view["features"]},
                ttl=timedelta(seconds=view.get("ttl_seconds", 86_400)), online=view.get("online", True),
                offline=view.get("offline", True), description=view.get("description", ""),
            )
        for service in definitions.get("feature_services", []):
            message = fpb.FeatureService(name=service["name"], features=service["features"], description=service.get("description", ""))
            self._transport.unary(self._store.ApplyFeatureService, fpb.ApplyFeatureServiceRequest(feature_service=message))

    def apply_entity(self, name: str, join_key: str, type: str = "int64", description: str = "") -> fpb.Entity:
        """Creates or updates an entity (``driver``, keyed by ``driver_id``)."""
        entity = fpb.Entity(name=name, join_key=join_key, value_type=value_type(type), description=description)
        return self._transport.unary(self._store.ApplyEntity, fpb.ApplyEntityRequest(entity=entity)).entity

    def apply_view(
        self, name: str, entities: Sequence[str], features: Mapping[str, str], ttl: timedelta = timedelta(days=1),
        online: bool = True, offline: bool = True, description: str = "",
    ) -> fpb.FeatureView:
        """Creates or updates a feature view: ``features`` maps each feature to its type
        (``{"trips": "int64", "rating": "double"}``); values older than ``ttl`` are served as
        OUTSIDE_MAX_AGE."""
        view = fpb.FeatureView(
            name=name, entities=list(entities), online=online, offline=offline, description=description,
            features=[fpb.Feature(name=f, type=value_type(t)) for f, t in features.items()],
            ttl=duration_pb2.Duration(seconds=int(ttl.total_seconds())),
        )
        return self._transport.unary(self._store.ApplyFeatureView, fpb.ApplyFeatureViewRequest(feature_view=view)).feature_view

    def view(self, name: str) -> fpb.FeatureView:
        """A feature view's definition, with its join keys and their types."""
        return self._transport.unary(self._store.GetFeatureView, fpb.GetFeatureViewRequest(name=name)).feature_view

    def push(
        self, view: str, data: pd.DataFrame, *, event_time_column: str = "event_timestamp",
        created_time_column: str = "created_timestamp", to: str = "online_and_offline", batch_rows: int = 10_000,
    ) -> int:
        """Writes the DataFrame's rows into ``view``: its join-key columns, ``event_time_column``
        (datetimes, or epoch seconds) and any of the view's features; a missing cell is a null
        value. ``created_time_column``, when present, says since when each value was known: a
        point-in-time read at time T sees only rows created by T, so a backfill of history
        gives it (often equal to the event time); without it a row is known from when it
        arrives. Sent as one stream of ``batch_rows``-row messages, so a million rows never sit
        in memory twice. Returns the rows written."""
        definition = self.view(view)
        types = {f.name: f.type for f in definition.features}
        keys = {k.name: k.type for k in definition.join_keys}
        present = [c for c in data.columns if c in types]
        missing = [c for c in [*keys, event_time_column] if c not in data.columns]
        if missing:
            raise ValueError(f"push to {view}: the DataFrame has no column {', '.join(map(repr, missing))} (join keys: {', '.join(keys)})")
        unknown = [c for c in data.columns if c not in types and c not in keys and c not in (event_time_column, created_time_column)]
        if unknown:
            raise ValueError(f"push to {view}: {', '.join(map(repr, unknown))} is not a feature of the view (features: {', '.join(types)})")
        columnar = not any(types[c] in LIST_TYPES for c in present)
        times = _micros(data[event_time_column])
        created = _micros(data[created_time_column]) if created_time_column in data.columns else None
        progress = Progress(len(data), f"push {view}", "rows", enabled=None if len(data) > batch_rows else False)

        def batches() -> Iterator[fpb.PushRequest]:
            for start in range(0, len(data), batch_rows):
                part = data.iloc[start : start + batch_rows]
                stamps = times[start : start + batch_rows]
                made = created[start : start + batch_rows] if created is not None else None
                if columnar:
                    columns = fpb.FeatureColumns(
                        event_time_micros=stamps.tolist(),
                        created_time_micros=made.tolist() if made is not None else [],
                        entity_key={k: _column(part[k], t, f"{view}.{k}") for k, t in keys.items()},
                        features={c: _column(part[c], types[c], f"{view}.{c}") for c in present},
                    )
                    request = fpb.PushRequest(feature_view=view, columns=columns, to=TARGETS[to])
                else:
                    request = fpb.PushRequest(feature_view=view, rows=_rows(part, stamps, made, keys, present, types), to=TARGETS[to])
                progress.advance(len(part))
                yield request

        try:
            return int(self._transport.client_stream(self._store.PushStream, batches(), timeout=None).rows_written)
        finally:
            progress.close()

    def get_online(self, features: Sequence[str], entities: pd.DataFrame | Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """The latest values of ``features`` (``"view:feature"``) for each entity row (a
        DataFrame or dicts of join keys): one row per entity, a column per feature, None where
        the value is missing, null or older than the view's TTL."""
        rows = records(entities)
        request = fpb.GetOnlineFeaturesRequest(features=list(features), entity_rows=[common_pb2.Row(values=to_row(r)) for r in rows])
        answer = self._transport.unary(self._store.GetOnlineFeatures, request)
        out = []
        for entity, result in zip(rows, answer.results):
            row = dict(entity)
            for name, value in zip(answer.feature_names, result.values):
                row[name] = from_value(value.value) if value.status == fpb.FEATURE_STATUS_PRESENT else None
            out.append(row)
        return pd.DataFrame(out, columns=[*(rows[0].keys() if rows else []), *answer.feature_names])

    def get_historical(
        self, entity_df: pd.DataFrame, features: Sequence[str], *, event_time_column: str = "event_timestamp",
        full_feature_names: bool = False,
    ) -> pd.DataFrame:
        """A training set: for each row of ``entity_df`` (join keys and ``event_time_column``)
        the value each feature had at that row's time (point in time, no leakage), as Feast's
        ``get_historical_features`` gives. Columns are the feature names (``view__feature`` with
        ``full_feature_names``)."""
        times = _micros(entity_df[event_time_column])
        keys = [c for c in entity_df.columns if c != event_time_column]
        rows = [
            fpb.EntityTimestampRow(entity_key=to_row({k: row[k] for k in keys}), event_time=_stamp(int(t)))
            for row, t in zip(records(entity_df[keys]), times)
        ]
        request = fpb.GetHistoricalFeaturesRequest(features=list(features), entity_rows=rows)
        names: list[str] = []
        values: dict[int, list[Any]] = {}
        for part in self._transport.server_stream(self._store.GetHistoricalFeatures, request, timeout=None):
            names = list(part.feature_names) or names
            for row in part.rows:
                values[row.row_index] = [from_value(v.value) if v.status == fpb.FEATURE_STATUS_PRESENT else None for v in row.values]
        columns = [n.replace(":", "__") if full_feature_names else n.split(":")[-1] for n in names]
        out = entity_df.reset_index(drop=True).copy()
        for index, column in enumerate(columns):
            out[column] = [values.get(i, [None] * len(columns))[index] for i in range(len(out))]
        return out


def _micros(column: pd.Series) -> np.ndarray:
    """Event times as microseconds since the epoch: datetimes (naive ones are UTC) or numbers
    of seconds."""
    if pd.api.types.is_numeric_dtype(column):
        return (column.astype("float64") * 1_000_000).round().astype("int64").to_numpy()
    stamps = pd.to_datetime(column, utc=True)
    return ((stamps - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)).astype("int64").to_numpy()


def _stamp(micros: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=micros // 1_000_000, nanos=(micros % 1_000_000) * 1000)


def _column(series: pd.Series, kind: int, field: str) -> fpb.FeatureColumn:
    """A scalar column in its typed list, nulls listed by row."""
    if kind not in COLUMN_LISTS:
        raise ValueError(f"{field}: a column of type {common_pb2.ValueType.Name(kind)} cannot be pushed as a column")
    attribute, list_type, placeholder = COLUMN_LISTS[kind]
    missing = series.isna().to_numpy()
    cells = series.where(~missing, placeholder).tolist()
    if kind == common_pb2.VALUE_TYPE_INT64:
        cells = [int(c) for c in cells]
    elif kind in (common_pb2.VALUE_TYPE_DOUBLE, common_pb2.VALUE_TYPE_FLOAT):
        cells = [float(c) for c in cells]
    elif kind == common_pb2.VALUE_TYPE_STRING:
        cells = [str(c) for c in cells]
    elif kind == common_pb2.VALUE_TYPE_BOOL:
        cells = [bool(c) for c in cells]
    column = fpb.FeatureColumn(null_rows=np.flatnonzero(missing).tolist())
    getattr(column, attribute).CopyFrom(list_type(values=cells))
    return column


def _rows(
    part: pd.DataFrame, stamps: np.ndarray, made: np.ndarray | None, keys: Mapping[str, int], present: Sequence[str],
    types: Mapping[str, int],
) -> list[fpb.FeatureRow]:
    """Rows one by one, for views with list-typed features (the column form carries scalars)."""
    out = []
    for index, (row, micros) in enumerate(zip(records(part), stamps.tolist())):
        out.append(fpb.FeatureRow(
            entity_key={k: typed_value(row[k], t) for k, t in keys.items()}, event_time=_stamp(int(micros)),
            created_time=_stamp(int(made[index])) if made is not None else None,
            features={c: typed_value(None if _is_missing(row[c]) else row[c], types[c]) for c in present},
        ))
    return out


def _is_missing(cell: Any) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell))
