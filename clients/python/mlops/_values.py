"""Python and pandas values ⇄ the platform's ``Value``, ``Row`` and column messages."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from mlops.common.v1 import common_pb2

TYPE_NAMES: dict[str, common_pb2.ValueType] = {
    "int64": common_pb2.VALUE_TYPE_INT64,
    "int": common_pb2.VALUE_TYPE_INT64,
    "double": common_pb2.VALUE_TYPE_DOUBLE,
    "float64": common_pb2.VALUE_TYPE_DOUBLE,
    "float": common_pb2.VALUE_TYPE_FLOAT,
    "float32": common_pb2.VALUE_TYPE_FLOAT,
    "string": common_pb2.VALUE_TYPE_STRING,
    "str": common_pb2.VALUE_TYPE_STRING,
    "bool": common_pb2.VALUE_TYPE_BOOL,
    "bytes": common_pb2.VALUE_TYPE_BYTES,
    "int64_list": common_pb2.VALUE_TYPE_INT64_LIST,
    "double_list": common_pb2.VALUE_TYPE_DOUBLE_LIST,
    "float_list": common_pb2.VALUE_TYPE_FLOAT_LIST,
    "string_list": common_pb2.VALUE_TYPE_STRING_LIST,
    "bool_list": common_pb2.VALUE_TYPE_BOOL_LIST,
}


def value_type(name: str | int) -> common_pb2.ValueType:
    """``"double"``, ``"int64"``, ``"float_list"``… (or the enum itself) as a ``ValueType``."""
    if isinstance(name, int):
        return cast(common_pb2.ValueType, name)
    try:
        return TYPE_NAMES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown value type {name!r}; one of {', '.join(sorted(TYPE_NAMES))}") from None


def to_value(item: Any) -> common_pb2.Value:
    """A Python, numpy or pandas value as a ``Value``; None and NaT become null."""
    if item is None or item is pd.NaT:
        return common_pb2.Value(null_value=common_pb2.NULL_VALUE)
    if isinstance(item, (bool, np.bool_)):
        return common_pb2.Value(bool_value=bool(item))
    if isinstance(item, (int, np.integer)):
        return common_pb2.Value(int64_value=int(item))
    if isinstance(item, np.floating) and item.dtype == np.float32:
        return common_pb2.Value(float_value=float(item))
    if isinstance(item, (float, np.floating)):
        return common_pb2.Value(double_value=float(item))
    if isinstance(item, str):
        return common_pb2.Value(string_value=item)
    if isinstance(item, bytes):
        return common_pb2.Value(bytes_value=item)
    if isinstance(item, np.ndarray):
        return _list_value(item.ravel().tolist(), item.dtype)
    if isinstance(item, (list, tuple)):
        return _list_value(list(item), None)
    raise TypeError(f"cannot send a {type(item).__name__} as a value")


def _list_value(items: list[Any], dtype: Any) -> common_pb2.Value:
    if dtype is not None and np.issubdtype(dtype, np.floating) and dtype == np.float32:
        return common_pb2.Value(float_list=common_pb2.FloatList(values=items))
    if all(isinstance(i, (bool, np.bool_)) for i in items) and items:
        return common_pb2.Value(bool_list=common_pb2.BoolList(values=items))
    if all(isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in items) and items:
        return common_pb2.Value(int64_list=common_pb2.Int64List(values=items))
    if all(isinstance(i, str) for i in items) and items:
        return common_pb2.Value(string_list=common_pb2.StringList(values=items))
    return common_pb2.Value(double_list=common_pb2.DoubleList(values=[float(i) for i in items]))


def from_value(value: common_pb2.Value) -> Any:
    """A ``Value`` as a plain Python value: lists for the list kinds, None for null."""
    kind = value.WhichOneof("kind")
    if kind is None or kind == "null_value":
        return None
    if kind.endswith("_list"):
        return list(getattr(value, kind).values)
    return getattr(value, kind)


def to_row(mapping: Mapping[str, Any]) -> dict[str, common_pb2.Value]:
    """A dict of Python values as the map a ``Row`` or an instance holds."""
    return {str(name): to_value(item) for name, item in mapping.items()}


def records(data: pd.DataFrame | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows as dicts, from a DataFrame or any iterable of mappings."""
    if isinstance(data, pd.DataFrame):
        return [{str(k): v for k, v in row.items()} for row in data.to_dict(orient="records")]
    return [dict(row) for row in data]


_SCALARS: dict[int, tuple[str, Any]] = {
    common_pb2.VALUE_TYPE_INT64: ("int64_value", int),
    common_pb2.VALUE_TYPE_DOUBLE: ("double_value", float),
    common_pb2.VALUE_TYPE_FLOAT: ("float_value", float),
    common_pb2.VALUE_TYPE_STRING: ("string_value", str),
    common_pb2.VALUE_TYPE_BOOL: ("bool_value", bool),
}
_LISTS: dict[int, tuple[str, Any, Any]] = {
    common_pb2.VALUE_TYPE_INT64_LIST: ("int64_list", common_pb2.Int64List, int),
    common_pb2.VALUE_TYPE_DOUBLE_LIST: ("double_list", common_pb2.DoubleList, float),
    common_pb2.VALUE_TYPE_FLOAT_LIST: ("float_list", common_pb2.FloatList, float),
    common_pb2.VALUE_TYPE_STRING_LIST: ("string_list", common_pb2.StringList, str),
    common_pb2.VALUE_TYPE_BOOL_LIST: ("bool_list", common_pb2.BoolList, bool),
}


def typed_value(item: Any, kind: int) -> common_pb2.Value:
    """``item`` as a ``Value`` of the declared type ``kind`` (an int cell of a double feature is
    sent as a double), so the server's type check sees what the schema says."""
    if item is None:
        return common_pb2.Value(null_value=common_pb2.NULL_VALUE)
    if kind in _SCALARS:
        attribute, cast = _SCALARS[kind]
        value = common_pb2.Value()
        setattr(value, attribute, cast(item))
        return value
    if kind in _LISTS:
        attribute, list_type, cast = _LISTS[kind]
        value = common_pb2.Value()
        getattr(value, attribute).CopyFrom(list_type(values=[cast(i) for i in np.asarray(item).ravel().tolist()]))
        return value
    return to_value(item)
