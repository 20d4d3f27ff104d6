#!/usr/bin/env python3
"""Writes Tests/MLOpsRuntimeTests/Fixtures: every model the runtime must run (see models.py)
and one small graph per operator, each with its input rows and onnxruntime's outputs.

    scripts/runtime/make-fixtures.py   (needs scripts/runtime/requirements.txt)

Each fixture is NAME.onnx plus NAME.json: {"inputs": [tensor], "outputs": [tensor | maps]},
tensor = {"name", "type", "shape", "data" (flat, row-major; NaN/inf as "nan"/"inf"/"-inf")},
maps = {"name", "type": "maps", "keyType", "data": [{key: probability}]} for ZipMap outputs."""
import json
import math
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(__file__))
import models  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MLOpsRuntimeTests", "Fixtures")
ROWS = 20
TYPES = {np.float32: "float", np.float64: "double", np.int64: "int64", np.bool_: "bool", np.object_: "string",
         np.str_: "string"}


def number(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def tensor(name, array):
    array = np.asarray(array)
    if array.dtype.kind in "iu":
        array = array.astype(np.int64)
    kind = TYPES[array.dtype.type]
    flat = array.reshape(-1).tolist()
    if kind in ("float", "double"):
        flat = [number(v) for v in flat]
    elif kind == "bool":
        flat = [bool(v) for v in flat]
    elif kind == "string":
        flat = [str(v) for v in flat]
    return {"name": name, "type": kind, "shape": list(array.shape), "data": flat}


def outputs(session, feeds):
    result = []
    for meta, value in zip(session.get_outputs(), session.run(None, feeds)):
        if isinstance(value, list):  # ZipMap: a sequence of maps
            key_type = "int64" if isinstance(next(iter(value[0])), int) else "string"
            data = [{str(k): number(p) for k, p in row.items()} for row in value]
            result.append({"name": meta.name, "type": "maps", "keyType": key_type, "data": data})
        else:
            result.append(tensor(meta.name, value))
    return result


def write(name, model, feeds):
    data = model.SerializeToString()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(data)
    fixture = {"inputs": [tensor(k, v) for k, v in feeds.items()], "outputs": outputs(session, feeds)}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    ops = sorted({(n.domain or "ai.onnx") + ":" + n.op_type for n in model.graph.node})
    print(f"{name}: {len(data)} bytes, {', '.join(ops)}")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, model, x in models.single_input_models():
        write(name, model, {model.graph.input[0].name: x[:ROWS]})
    model, feeds = models.column_transformer_model()
    write("column_transformer_pipeline", model, feeds)
    model, feeds = models.label_encoder_model()
    write("label_encoder", model, feeds)
    import operators
    for name, model, feeds in operators.graphs():
        write("op_" + name, model, feeds)


if __name__ == "__main__":
    main()
