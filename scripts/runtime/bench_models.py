#!/usr/bin/env python3
"""Benchmark half of `make bench-runtime`: exports the benchmark models into OUTDIR (model.onnx
plus rows.csv per model) and times onnxruntime in-process on them (Python, 1 thread), writing
OUTDIR/onnxruntime.json: per model, 1-row latency p50/p99 (µs) and 100-row batch throughput.

    scripts/runtime/bench_models.py OUTDIR [--calls N]"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort

ort.set_default_logger_severity(3)

sys.path.insert(0, os.path.dirname(__file__))
import models  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
import lightgbm as lgb  # noqa: E402
import xgboost as xgb  # noqa: E402


def bench_models():
    x, y = models.classification(n_features=20, n=4000, seed=3)
    yield "random_forest_100x8", models.skl(RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0).fit(x, y), x, zipmap=False), x
    yield "gradient_boosting_100x3", models.skl(GradientBoostingClassifier(n_estimators=100, max_depth=3, random_state=0).fit(x, y), x, zipmap=False), x
    yield "hist_gradient_boosting_100", models.skl(HistGradientBoostingClassifier(max_iter=100, random_state=0).fit(x, y), x, zipmap=False), x
    yield "xgboost_100x6", models.xgboost_model(xgb.XGBClassifier(n_estimators=100, max_depth=6, random_state=0), x, y), x
    yield "lightgbm_100x31", models.lightgbm_model(lgb.LGBMClassifier(n_estimators=100, num_leaves=31, random_state=0), x, y), x
    yield "logistic_regression", models.skl(LogisticRegression(max_iter=500).fit(x, y), x, zipmap=False), x
    yield "mlp_64x32", models.skl(MLPClassifier(hidden_layer_sizes=(64, 32), max_iter=200, random_state=0).fit(x, y), x, zipmap=False), x


def time_onnxruntime(path, rows, calls):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    singles = [rows[i:i + 1] for i in range(min(len(rows), 1000))]
    for row in singles[:200]:
        session.run(None, {name: row})
    samples = []
    for i in range(calls):
        row = singles[i % len(singles)]
        start = time.perf_counter_ns()
        session.run(None, {name: row})
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    batch = rows[:100]
    for _ in range(20):
        session.run(None, {name: batch})
    batches = max(calls // 50, 50)
    start = time.perf_counter()
    for _ in range(batches):
        session.run(None, {name: batch})
    elapsed = time.perf_counter() - start
    return {"p50_us": samples[len(samples) // 2] / 1000, "p99_us": samples[int(len(samples) * 0.99)] / 1000,
            "batch100_rows_per_s": batches * 100 / elapsed}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    results = {}
    for name, model, x in bench_models():
        path = os.path.join(args.outdir, name + ".onnx")
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
        rows = x[:1000].astype(np.float32)
        with open(os.path.join(args.outdir, name + ".csv"), "w", newline="") as f:
            out = csv.writer(f)
            out.writerow([f"f{i}" for i in range(rows.shape[1])])
            out.writerows(rows.tolist())
        results[name] = time_onnxruntime(path, rows, args.calls)
        print(f"onnxruntime {name}: {results[name]}", file=sys.stderr)
    with open(os.path.join(args.outdir, "onnxruntime.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
