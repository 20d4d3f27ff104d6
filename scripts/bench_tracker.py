#!/usr/bin/env python3
"""Issue #4's tracker workload, replayed against the tracker over gRPC and against an MLflow
server (SQLite backend) over its REST API, in the same run. Prints each figure and the ratio.

    scripts/bench-tracker.sh BIN_DIR     (runs each server alone, then compares)
    bench_tracker.py (--tracker HOST:PORT | --mlflow http://HOST:PORT) [--search-runs N] [--out F.json]
    bench_tracker.py --compare OURS.json MLFLOW.json"""
import argparse
import concurrent.futures
import json
import random
import statistics
import sys
import time

import grpc
import requests

from mlops.tracker.v1 import tracker_pb2 as pb, tracker_pb2_grpc as pb_grpc


def percentile(samples, p):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(len(samples) * p))]


class Ours:
    name = "mlops tracker (gRPC)"

    def __init__(self, address):
        self.channel = grpc.insecure_channel(address)
        self.stub = pb_grpc.TrackerServiceStub(self.channel)

    def experiment(self, name):
        return self.stub.CreateExperiment(pb.CreateExperimentRequest(name=name)).experiment.experiment_id

    def run(self, experiment):
        return self.stub.CreateRun(pb.CreateRunRequest(experiment_id=experiment)).run.info.run_id

    def batch(self, run, metrics, params):
        self.stub.LogBatch(pb.LogBatchRequest(
            run_id=run, params=[pb.Param(key=k, value=v) for k, v in params],
            metrics=[pb.Metric(key=k, value=v, step=s) for k, v, s in metrics]))

    def metric(self, run, key, value, step):
        self.stub.LogMetric(pb.LogMetricRequest(run_id=run, key=key, value=value, step=step))

    def search(self, experiment, filter_):
        return len(self.stub.SearchRuns(pb.SearchRunsRequest(experiment_ids=[experiment], filter=filter_, max_results=1000)).runs)

    def history(self, run, key):
        return len(self.stub.GetMetricHistory(pb.GetMetricHistoryRequest(run_id=run, metric_key=key)).metrics)


class MLflow:
    name = "MLflow server (REST)"

    def __init__(self, url):
        self.url = url.rstrip("/") + "/api/2.0/mlflow"
        self.session = requests.Session()

    def post(self, path, body):
        response = self.session.post(self.url + path, json=body, timeout=120)
        response.raise_for_status()
        return response.json()

    def experiment(self, name):
        return self.post("/experiments/create", {"name": name})["experiment_id"]

    def run(self, experiment):
        return self.post("/runs/create", {"experiment_id": experiment, "start_time": int(time.time() * 1000)})["run"]["info"]["run_id"]

    def batch(self, run, metrics, params):
        now = int(time.time() * 1000)
        self.post("/runs/log-batch", {
            "run_id": run, "params": [{"key": k, "value": v} for k, v in params],
            "metrics": [{"key": k, "value": v, "timestamp": now, "step": s} for k, v, s in metrics]})

    def metric(self, run, key, value, step):
        self.post("/runs/log-metric", {"run_id": run, "key": key, "value": value, "timestamp": int(time.time() * 1000), "step": step})

    def search(self, experiment, filter_):
        return len(self.post("/runs/search", {"experiment_ids": [experiment], "filter": filter_, "max_results": 1000}).get("runs", []))

    def history(self, run, key):
        response = self.session.get(self.url + "/metrics/get-history", params={"run_id": run, "metric_key": key, "max_results": 25000}, timeout=120)
        response.raise_for_status()
        return len(response.json()["metrics"])


def workload(system, search_runs, seed_workers):
    tag = f"bench-{int(time.time() * 1000)}-{random.randint(0, 1 << 30)}"
    results = {}
    experiment = system.experiment(tag + "-ingest")
    start = time.perf_counter()
    for r in range(200):
        run = system.run(experiment)
        system.batch(run, [("loss", random.random(), s) for s in range(100)], [(f"p{i}", str(i)) for i in range(10)])
    elapsed = time.perf_counter() - start
    results["ingest_points_per_s"] = 200 * 100 / elapsed
    run = system.run(experiment)
    samples = []
    for i in range(1000):
        t = time.perf_counter()
        system.metric(run, "single", random.random(), i)
        samples.append(time.perf_counter() - t)
    results["log_metric_p50_ms"] = percentile(samples, 0.5) * 1000
    results["log_metric_p99_ms"] = percentile(samples, 0.99) * 1000
    samples = []
    for _ in range(100):
        t = time.perf_counter()
        assert system.history(run, "single") == 1000
        samples.append(time.perf_counter() - t)
    results["history_1000_p50_ms"] = percentile(samples, 0.5) * 1000
    results["history_1000_p99_ms"] = percentile(samples, 0.99) * 1000
    search_experiment = system.experiment(tag + "-search")

    def seed(i):
        run = system.run(search_experiment)
        system.batch(run, [("m0", random.random(), 0)], [("p1", "x" if i % 10 == 0 else "y")] + [(f"q{j}", str(j)) for j in range(4)])

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(seed_workers) as pool:
        list(pool.map(seed, range(search_runs)))
    results["seed_runs_per_s"] = search_runs / (time.perf_counter() - start)
    samples, found = [], 0
    for _ in range(50):
        t = time.perf_counter()
        found = system.search(search_experiment, "metrics.m0 > 0.5 and params.p1 = 'x'")
        samples.append(time.perf_counter() - t)
    results["search_matches"] = found
    results["search_p50_ms"] = percentile(samples, 0.5) * 1000
    results["search_p99_ms"] = percentile(samples, 0.99) * 1000
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracker", help="HOST:PORT: run the workload against the tracker")
    parser.add_argument("--mlflow", help="http://HOST:PORT: run the workload against MLflow")
    parser.add_argument("--search-runs", type=int, default=10000)
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument("--compare", nargs=2, metavar=("OURS_JSON", "MLFLOW_JSON"), help="print the comparison table")
    args = parser.parse_args()
    if args.compare:
        compare(*(json.load(open(path)) for path in args.compare))
        return
    random.seed(7)
    system = Ours(args.tracker) if args.tracker else MLflow(args.mlflow)
    results = workload(system, args.search_runs, 1)
    print(f"{system.name}: {results}", file=sys.stderr, flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f)


def compare(ours, theirs):
    print(f"{'figure':24} {'mlops':>12} {'MLflow':>12} {'ratio':>10}")
    for key in ours:
        if key == "search_matches":
            print(f"{key:24} {ours[key]:>12} {theirs[key]:>12}")
            continue
        better_high = key.endswith("per_s")
        ratio = ours[key] / theirs[key] if better_high else theirs[key] / ours[key]
        print(f"{key:24} {ours[key]:12.2f} {theirs[key]:12.2f} {ratio:9.1f}x")


if __name__ == "__main__":
    main()
