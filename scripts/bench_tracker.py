#!/usr/bin/env python3
"""Issue #4's tracker workload, replayed against the tracker over gRPC and against an MLflow
server (SQLite backend) over its REST API, in the same run. Prints each figure and the ratio.

    scripts/bench-tracker.sh BIN_DIR     (runs each server alone, then compares)
    bench_tracker.py (--tracker HOST:PORT | --mlflow http://HOST:PORT) [--search-runs N] [--out F.json] [--small-calls-only]
    bench_tracker.py --compare OURS.json MLFLOW.json [SWIFT_CLIENT.json]"""
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

# The search: about one run in twenty of the seeded ones matches.
SEARCH_FILTER = "metrics.m0 > 0.5 and params.p1 = 'x'"


def percentile(samples, p):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(len(samples) * p))]


class Ours:
    name = "mlops tracker (gRPC)"

    def __init__(self, address):
        self.channel = grpc.insecure_channel(address)
        self.stub = pb_grpc.TrackerServiceStub(self.channel)
        # grpc.health.v1.Health/Check with an empty request (the whole process), as raw bytes.
        self.health = self.channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=bytes, response_deserializer=bytes)

    def empty_call(self):
        self.health(b"")

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
        self.root = url.rstrip("/")

    def empty_call(self):
        self.session.get(self.root + "/health", timeout=120).raise_for_status()

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


def workload(system, search_runs, seed_workers, small_calls_only=False):
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
    # The least one call costs through this client: LogMetric's p50 cannot go below it.
    samples = []
    for _ in range(1000):
        t = time.perf_counter()
        system.empty_call()
        samples.append(time.perf_counter() - t)
    results["empty_call_p50_ms"] = percentile(samples, 0.5) * 1000
    samples = []
    for i in range(1000):
        t = time.perf_counter()
        system.metric(run, "single", random.random(), i)
        samples.append(time.perf_counter() - t)
    results["log_metric_p50_ms"] = percentile(samples, 0.5) * 1000
    results["log_metric_p99_ms"] = percentile(samples, 0.99) * 1000
    if small_calls_only:
        return results
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
        found = system.search(search_experiment, SEARCH_FILTER)
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
    parser.add_argument("--small-calls-only", action="store_true",
                        help="stop after ingest, the empty call and LogMetric (for scripts/ab-python-calls.sh)")
    parser.add_argument("--compare", nargs="+", metavar="JSON",
                        help="OURS MLFLOW [SWIFT]: print the comparison table")
    parser.add_argument("--storage", nargs=2, metavar=("SQLITE_FILE", "JSON"),
                        help="add the database's compacted size after the workload to a JSON file")
    parser.add_argument("--h2load-bodies", nargs=2, metavar=("HOST:PORT", "DIR"), help="write h2load request bodies")
    parser.add_argument("--h2load-ingest-bodies", nargs=2, metavar=("HOST:PORT", "DIR"),
                        help="write h2load bodies for CreateRun and LogBatch")
    parser.add_argument("--h2load-figures", nargs=4, metavar=("LOG_METRIC_LOG", "SEARCH_RUNS_LOG", "JSON", "METRICS_URL"),
                        help="add h2load's figures to a JSON file")
    args = parser.parse_args()
    if args.storage:
        storage(*args.storage)
        return
    if args.h2load_bodies:
        h2load_bodies(*args.h2load_bodies)
        return
    if args.h2load_ingest_bodies:
        h2load_ingest_bodies(*args.h2load_ingest_bodies)
        return
    if args.h2load_figures:
        h2load_figures(*args.h2load_figures)
        return
    if args.compare:
        compare(*(json.load(open(path)) for path in args.compare))
        return
    random.seed(7)
    system = Ours(args.tracker) if args.tracker else MLflow(args.mlflow)
    results = workload(system, args.search_runs, 1, args.small_calls_only)
    print(f"{system.name}: {results}", file=sys.stderr, flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f)


def h2load_bodies(address, directory):
    """gRPC-framed request bodies for h2load (which replays one body): a LogMetric into a new
    run, and the workload's SearchRuns over the runs TrackerBench seeded (its experiment's
    name ends in "-search")."""
    stub = pb_grpc.TrackerServiceStub(grpc.insecure_channel(address))
    experiment = stub.CreateExperiment(pb.CreateExperimentRequest(name=f"h2load-{time.time()}")).experiment.experiment_id
    run = stub.CreateRun(pb.CreateRunRequest(experiment_id=experiment)).run.info.run_id
    seeded = stub.SearchExperiments(pb.SearchExperimentsRequest(filter="name LIKE '%-search'")).experiments
    assert len(seeded) == 1, f"expected one seeded search experiment, found {len(seeded)}"
    bodies = {
        "log_metric.bin": pb.LogMetricRequest(run_id=run, key="h2load", value=0.5, step=1),
        "search_runs.bin": pb.SearchRunsRequest(experiment_ids=[seeded[0].experiment_id], filter=SEARCH_FILTER, max_results=1000),
    }
    write_frames(directory, bodies)


def h2load_ingest_bodies(address, directory):
    """Bodies for the ingest calls, replayable as often as h2load likes: a CreateRun, and a
    LogBatch of the workload's size (10 params, re-logged with the same values, and 100 points
    of one metric). Its points share one step and carry no timestamp, so the server stamps
    them and each batch appends to the history's index instead of landing between earlier
    batches' steps, as in a real run."""
    stub = pb_grpc.TrackerServiceStub(grpc.insecure_channel(address))
    experiment = stub.CreateExperiment(pb.CreateExperimentRequest(name=f"h2load-ingest-{time.time()}")).experiment.experiment_id
    run = stub.CreateRun(pb.CreateRunRequest(experiment_id=experiment)).run.info.run_id
    write_frames(directory, {
        "create_run.bin": pb.CreateRunRequest(experiment_id=experiment),
        "log_batch.bin": pb.LogBatchRequest(
            run_id=run, metrics=[pb.Metric(key="loss", value=random.random(), step=0) for _ in range(100)],
            params=[pb.Param(key=f"p{i}", value=str(i)) for i in range(10)]),
    })


def write_frames(directory, bodies):
    """Each message as one uncompressed gRPC frame, in DIRECTORY/NAME."""
    import struct
    for name, message in bodies.items():
        body = message.SerializeToString()
        with open(f"{directory}/{name}", "wb") as f:
            f.write(b"\x00" + struct.pack(">I", len(body)) + body)


def storage(database, out):
    """The database's size after the workload, compacted (VACUUM INTO a copy) so neither
    system is charged for free pages or an unmerged write-ahead log."""
    import os
    import sqlite3
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "copy.sqlite")
        connection = sqlite3.connect(database)
        connection.execute("VACUUM INTO ?", (copy,))
        connection.close()
        size = os.path.getsize(copy)
    figures = json.load(open(out))
    figures["storage_mb"] = size / 1e6
    with open(out, "w") as f:
        json.dump(figures, f)


def h2load_figures(log_metric_log, search_runs_log, out, metrics_url):
    """LogMetric and SearchRuns p50/p99 from h2load's per-request logs (µs until the end of
    each response), added to the Swift client's JSON. h2load sees HTTP status only, so the
    tracker's own counters must show every call answered OK. SearchRuns from h2load is the
    server's share of a search: no client decodes the ~100 KB answer."""
    import urllib.request
    counters = urllib.request.urlopen(metrics_url).read().decode()
    for method, expected in [("LogMetric", 11000), ("SearchRuns", 350)]:
        ok = [float(line.split()[-1]) for line in counters.splitlines()
              if line.startswith("grpc_server_handled_total") and f'grpc_method="{method}"' in line and 'grpc_code="OK"' in line]
        assert ok and ok[0] >= expected, f"{method}: only {ok} calls answered OK, expected {expected}"
    figures = json.load(open(out))
    for name, log in [("log_metric", log_metric_log), ("search", search_runs_log)]:
        micros = sorted(int(line.split("\t")[2]) for line in open(log) if line.strip())
        figures[f"h2load_{name}_p50_ms"] = percentile(micros, 0.5) / 1000
        figures[f"h2load_{name}_p99_ms"] = percentile(micros, 0.99) / 1000
    with open(out, "w") as f:
        json.dump(figures, f)


def compare(ours, theirs, swift=None):
    """Python-client figures for both servers with their ratio; then, when given, the same
    workload from the Swift client (TrackerBench) and its ratio to MLflow."""
    swift = swift or {}
    print(f"{'figure':32} {'mlops(py)':>11} {'MLflow(py)':>11} {'ratio':>8} {'mlops(swift)':>13} {'ratio':>8}")
    for key in sorted(set(ours) | set(swift)):
        if key == "search_matches":
            print(f"{key:32} {ours.get(key, '-'):>11} {theirs.get(key, '-'):>11} {'':>8} {swift.get(key, '-'):>13}")
            continue
        better_high = key.endswith("per_s")

        def ratio(value):
            if key not in theirs or value is None:
                return "-"
            return f"{(value / theirs[key] if better_high else theirs[key] / value):.1f}x"

        cells = [f"{ours[key]:11.2f}" if key in ours else f"{'-':>11}", f"{theirs[key]:11.2f}" if key in theirs else f"{'-':>11}",
                 f"{ratio(ours.get(key)):>8}", f"{swift[key]:13.2f}" if key in swift else f"{'-':>13}", f"{ratio(swift.get(key)):>8}"]
        print(f"{key:32} " + " ".join(cells))


if __name__ == "__main__":
    main()
