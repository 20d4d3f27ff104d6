#!/usr/bin/env python3
"""Issue #28's benchmark: issue #4's tracker workload driven by MLflow's own Python client
(`MlflowClient`, unchanged) against the platform's MLflow REST front and against an MLflow
server, in the same run. Prints each figure and the ratio.

    scripts/bench-mlflow.sh BIN_DIR [SEARCH_RUNS]
    bench_mlflow_client.py URL [--search-runs N] [--out F.json]     (MLFLOW_TRACKING_TOKEN for auth)
    bench_mlflow_client.py --compare OURS.json MLFLOW.json"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_tracker import compare, workload  # noqa: E402


class MLflowClientSystem:
    """The workload's calls made with MlflowClient, as a training script makes them."""

    def __init__(self, url):
        from mlflow import MlflowClient
        self.client = MlflowClient(url)

    def empty_call(self):
        self.client.search_experiments(max_results=1)

    def experiment(self, name):
        return self.client.create_experiment(name)

    def run(self, experiment):
        return self.client.create_run(experiment).info.run_id

    def batch(self, run, metrics, params):
        from mlflow.entities import Metric, Param
        now = int(time.time() * 1000)
        self.client.log_batch(run, metrics=[Metric(k, v, now, s) for k, v, s in metrics], params=[Param(k, v) for k, v in params],
                              synchronous=True)

    def metric(self, run, key, value, step):
        self.client.log_metric(run, key, value, step=step, synchronous=True)

    def search(self, experiment, filter_):
        return len(self.client.search_runs([experiment], filter_, max_results=1000))

    def history(self, run, key):
        return len(self.client.get_metric_history(run, key))


def client_cost(system, runs=200):
    """What MLflow's client itself spends per training run (create_run + a 100-metric
    log_batch): its process's CPU against the wall time. No server can make a run cheaper for
    this client than that CPU, which caps the ratio any server can reach."""
    experiment = system.experiment(f"client-cost-{int(time.time() * 1000)}")
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(runs):
        system.batch(system.run(experiment), [("loss", 0.5, s) for s in range(100)], [(f"p{i}", str(i)) for i in range(10)])
    return {"client_cpu_ms_per_run": (time.process_time() - cpu) / runs * 1000,
            "wall_ms_per_run": (time.perf_counter() - wall) / runs * 1000}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--search-runs", type=int, default=2000)
    parser.add_argument("--out")
    parser.add_argument("--compare", nargs=2)
    options = parser.parse_args()
    if options.compare:
        ours, theirs = (json.load(open(path)) for path in options.compare)
        print("MLflow's client (MlflowClient) against the platform's REST front (mlops) and an MLflow server (MLflow):")
        compare(ours, theirs)
        print(f"\ningest with the same client code: {ours['ingest_points_per_s'] / theirs['ingest_points_per_s']:.1f}x MLflow (goal >= 20x)")
        print(f"the client's own CPU per run: {ours['client_cpu_ms_per_run']:.1f} ms; an MLflow run: {theirs['wall_ms_per_run']:.1f} ms wall; "
              f"ceiling for any server with this client: {theirs['wall_ms_per_run'] / ours['client_cpu_ms_per_run']:.1f}x")
        return
    system = MLflowClientSystem(options.url)
    results = workload(system, options.search_runs, seed_workers=8)
    results.update(client_cost(system))
    print(json.dumps(results, indent=2))
    if options.out:
        json.dump(results, open(options.out, "w"))


if __name__ == "__main__":
    main()
