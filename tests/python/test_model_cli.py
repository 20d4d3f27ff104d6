"""`mlops model check|predict` as a user runs them: real CSV files in, predictions out, compared
with onnxruntime's outputs stored in the runtime fixtures."""
import csv
import json
import math
import os
import subprocess

import pytest

from conftest import BIN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "MLOpsRuntimeTests", "Fixtures")


def mlops(*args):
    return subprocess.run([os.path.join(BIN, "mlops"), *args], capture_output=True, text=True, timeout=60)


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        return json.load(f)


def write_csv(path, data):
    """Single 2-D input: one column per feature. Several inputs: one column per input."""
    inputs = data["inputs"]
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        if len(inputs) == 1 and len(inputs[0]["shape"]) == 2 and inputs[0]["shape"][1] > 1:
            n, c = inputs[0]["shape"]
            out.writerow([f"f{i}" for i in range(c)])
            values = ["" if v == "nan" else v for v in inputs[0]["data"]]
            out.writerows(values[r * c:(r + 1) * c] for r in range(n))
        else:
            out.writerow([i["name"] for i in inputs])
            columns = [["" if v == "nan" else v for v in i["data"]] for i in inputs]
            out.writerows(zip(*columns))


def close(a, b):
    if isinstance(b, str):
        return (isinstance(a, str) and a == b) or (b == "nan" and isinstance(a, str) and a.lower() == "nan")
    return abs(a - b) <= 1e-5


@pytest.mark.parametrize("name", ["column_transformer_pipeline", "logreg_binary", "random_forest_classifier",
                                  "hist_gradient_boosting_regressor", "lightgbm_multiclass", "label_encoder"])
def test_predict_matches_onnxruntime(tmp_path, name):
    data = fixture(name)
    rows = tmp_path / "rows.csv"
    write_csv(rows, data)
    result = mlops("onnx", "predict", os.path.join(FIXTURES, name + ".onnx"), "--input", str(rows), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    predictions = [json.loads(line) for line in result.stdout.splitlines()]
    for output in data["outputs"]:
        name_ = output["name"]
        if output["type"] == "maps":
            for got, want in zip(predictions, output["data"]):
                assert set(got[name_]) == set(want)
                assert all(close(got[name_][k], v) for k, v in want.items())
            continue
        shape, flat = output["shape"], output["data"]
        per_row = math.prod(shape[1:]) if len(shape) > 1 else 1
        assert len(predictions) == shape[0]
        for r, got in enumerate(predictions):
            want = flat[r * per_row:(r + 1) * per_row]
            got_values = got[name_] if isinstance(got[name_], list) else [got[name_]]
            assert all(close(g, w) for g, w in zip(got_values, want)), (name_, r, got_values, want)


def test_check_reports_a_runnable_model():
    # `mlops model` is the old name of `mlops onnx`, kept out of the help for one release.
    result = mlops("model", "check", os.path.join(FIXTURES, "xgboost_classifier.onnx"))
    assert result.returncode == 0, result.stderr
    assert "ai.onnx.ml:TreeEnsembleClassifier" in result.stdout
    assert "runnable:  yes" in result.stdout


def test_check_rejects_a_corrupted_model(tmp_path):
    with open(os.path.join(FIXTURES, "mlp_classifier.onnx"), "rb") as f:
        data = f.read()
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(data[: len(data) // 3])
    result = mlops("model", "check", str(broken))
    assert result.returncode == 1
    assert "not an ONNX model" in result.stderr


def test_predict_names_a_csv_that_does_not_fit(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("a,b\n1,2\n")
    result = mlops("onnx", "predict", os.path.join(FIXTURES, "random_forest_regressor.onnx"), "--input", str(rows))
    assert result.returncode == 1
    assert "8 columns" in result.stderr and "has 2" in result.stderr


def test_bench_says_up_front_how_many_rows_it_needs(tmp_path):
    data = fixture("logreg_binary")
    rows = tmp_path / "rows.csv"
    write_csv(rows, data)
    count = len(open(rows).read().strip().splitlines()) - 1
    model = os.path.join(FIXTURES, "logreg_binary.onnx")
    short = mlops("onnx", "bench", model, "--input", str(rows), "--batch", str(count + 1), "--calls", "10")
    assert short.returncode == 1 and f"has {count} rows" in short.stderr and f"--batch {count}" in short.stderr, short.stderr
    timed = mlops("onnx", "bench", model, "--input", str(rows), "--batch", str(count), "--calls", "50")
    assert timed.returncode == 0, timed.stderr
    figures = json.loads(timed.stdout)
    assert figures["p50_us"] > 0 and figures[f"batch{count}_rows_per_s"] > 0
