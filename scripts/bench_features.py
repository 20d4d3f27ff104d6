#!/usr/bin/env python3
"""Issue #6's workload against Feast, and the comparison table (used by scripts/bench-features.sh).

  --feast DIR OUT.json     build a Feast repo in DIR (SQLite online store, file offline store) from
                           the same formula as Benchmarks/FeatureBench and time materialize, the
                           in-process SDK's online reads, write_to_online_store and historical joins
  --h2load-log NAME LOG OUT.json   add p50/p99 (ms) from an h2load per-request log to OUT.json
  --h2load-rate NAME TEXT OUT.json add req/s from h2load's printed summary to OUT.json
  --compare OURS.json FEAST.json   print the table
"""
import json
import re
import sys
import time
from datetime import datetime, timedelta, timezone

BASE = 1_790_000_000
FEATURES = 10
TTL_DAYS = 2


def frame(entities):
    import numpy as np
    import pandas as pd
    i = np.arange(entities)
    times = pd.to_datetime(BASE - (i % 86_400), unit="s", utc=True)
    data = {"driver_id": 1_000_000 + i, "event_timestamp": times, "created": times}
    for j in range(FEATURES):
        data[f"f{j}"] = ((31 * i + 17 * j) % 1000) / 1000
    return pd.DataFrame(data)


def join_frame(rows, entities):
    import numpy as np
    import pandas as pd
    r = np.arange(rows)
    return pd.DataFrame({"driver_id": 1_000_000 + (7919 * r % entities),
                         "event_timestamp": pd.to_datetime(BASE * 1_000_000 - r * 173_000, unit="us", utc=True)})


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def build_repo(directory, entities):
    import os
    from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
    from feast.types import Float64
    os.makedirs(f"{directory}/data", exist_ok=True)
    frame(entities).to_parquet(f"{directory}/data/bench.parquet")
    with open(f"{directory}/feature_store.yaml", "w") as f:
        f.write("project: bench\nregistry: data/registry.db\nprovider: local\n"
                "online_store:\n  type: sqlite\n  path: data/online.db\n"
                "offline_store:\n  type: file\nentity_key_serialization_version: 3\n")
    store = FeatureStore(repo_path=directory)
    driver = Entity(name="driver", join_keys=["driver_id"], value_type=ValueType.INT64)
    source = FileSource(path=f"{directory}/data/bench.parquet", timestamp_field="event_timestamp",
                        created_timestamp_column="created")
    views = [FeatureView(name=name, entities=[driver], ttl=timedelta(days=TTL_DAYS), source=source,
                         schema=[Field(name=f"f{j}", dtype=Float64) for j in range(FEATURES)]) for name in ("bench", "bench_push")]
    store.apply([driver, *views])
    return store


def feast_workload(directory, out, entities, join_sizes):
    store = build_repo(directory, entities)
    figures = {}
    start = time.perf_counter()
    store.materialize(datetime.fromtimestamp(BASE - 3 * 86_400, timezone.utc), datetime.fromtimestamp(BASE + 1, timezone.utc),
                      feature_views=["bench"])
    figures["materialize_s"] = time.perf_counter() - start
    print(f"feast materialize {figures['materialize_s']:.1f}s", file=sys.stderr, flush=True)
    references = [f"bench:f{j}" for j in range(FEATURES)]
    for batch, calls in [(1, 2000), (100, 300)]:
        latencies = []
        for call in range(calls):
            rows = [{"driver_id": 1_000_000 + (call * 997 + k * 31) % entities} for k in range(batch)]
            t = time.perf_counter()
            store.get_online_features(features=references, entity_rows=rows).to_dict()
            latencies.append(time.perf_counter() - t)
        figures[f"sdk_online_{batch}_p50_ms"] = percentile(latencies, 0.5) * 1000
        figures[f"sdk_online_{batch}_p99_ms"] = percentile(latencies, 0.99) * 1000
    data = frame(entities)
    start = time.perf_counter()
    store.write_to_online_store("bench_push", data)
    figures["push_rows_per_s"] = entities / (time.perf_counter() - start)
    print(f"feast push {figures['push_rows_per_s']:.0f} rows/s", file=sys.stderr, flush=True)
    for size in join_sizes:
        start = time.perf_counter()
        joined = store.get_historical_features(entity_df=join_frame(size, entities), features=references).to_df()
        figures[f"join_{size}_s"] = time.perf_counter() - start
        figures[f"join_{size}_found"] = int(joined["f0"].notna().sum())
        figures[f"join_{size}_rows"] = len(joined)
        print(f"feast join {size}: {figures[f'join_{size}_s']:.1f}s", file=sys.stderr, flush=True)
    with open(out, "w") as f:
        json.dump(figures, f)


def add(out, values):
    try:
        figures = json.load(open(out))
    except FileNotFoundError:
        figures = {}
    figures.update(values)
    with open(out, "w") as f:
        json.dump(figures, f)


def h2load_log(name, log, out):
    lines = [line.split("\t") for line in open(log) if line.strip()]
    assert {line[1] for line in lines} == {"200"}, f"{name}: HTTP statuses {set(line[1] for line in lines)}"
    micros = [int(line[2]) for line in lines]
    add(out, {f"{name}_p50_ms": percentile(micros, 0.5) / 1000, f"{name}_p99_ms": percentile(micros, 0.99) / 1000})


def h2load_rate(name, text, out, allow_failures=False):
    """req/s from h2load's summary. Our server must answer every request; Feast's `serve`
    drops some connections at c=16, which is recorded, not hidden."""
    summary = open(text).read()
    rate = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", summary).group(1))
    failed = int(re.search(r"\d+ succeeded, (\d+) failed", summary).group(1))
    assert allow_failures or failed == 0, f"{name}: {summary}"
    add(out, {f"{name}_req_per_s": rate, f"{name}_failed": failed})


def compare(ours, feast):
    def row(label, a, b, unit, higher_is_better):
        ratio = "" if a is None or b is None or not a or not b else f"{(a / b if higher_is_better else b / a):.1f}×"
        fmt = lambda v: "—" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.3f}")
        print(f"| {label} | {fmt(a)} {unit} | {fmt(b)} {unit} | {ratio} |")
    print("| Figure | this server | Feast | ratio |\n|---|---|---|---|")
    for batch in (1, 100):
        for q in ("p50", "p99"):
            row(f"GetOnlineFeatures {batch} entity × 10 features {q}, c=1 (h2load vs SDK in-process)",
                ours.get(f"online_{batch}_c1_{q}_ms"), feast.get(f"sdk_online_{batch}_{q}_ms"), "ms", False)
    for c in (1, 16):
        for q in ("p50", "p99"):
            row(f"GetOnlineFeatures 1 entity {q}, c={c} (h2load vs feast serve)", ours.get(f"online_1_c{c}_{q}_ms"),
                feast.get(f"serve_1_c{c}_{q}_ms"), "ms", False)
        row(f"GetOnlineFeatures 1 entity, c={c} (h2load)", ours.get(f"online_1_c{c}_req_per_s"), feast.get(f"serve_1_c{c}_req_per_s"),
            "req/s", True)
    row("Push, column batches (PushStream vs write_to_online_store)", ours.get("push_rows_per_s"), feast.get("push_rows_per_s"), "rows/s", True)
    row("Push, one map per row (PushStream)", ours.get("push_map_rows_per_s"), feast.get("push_rows_per_s"), "rows/s", True)
    row("gRPC floor: Health/Check 1 request, c=16 (h2load)", ours.get("health_c16_req_per_s"), None, "req/s", True)
    row("Materialize 100k rows", ours.get("materialize_s"), feast.get("materialize_s"), "s", False)
    for size in sorted({int(k.split("_")[1]) for k in ours if k.startswith("join_") and k.endswith("_s")}):
        row(f"Historical join, {size:,} entity rows", ours.get(f"join_{size}_s"), feast.get(f"join_{size}_s"), "s", False)
        print(f"|   rows with a value | {ours.get(f'join_{size}_found')} of {size} | {feast.get(f'join_{size}_found')} of "
              f"{feast.get(f'join_{size}_rows')} returned | |")


def main():
    args = sys.argv[1:]
    if args[0] == "--feast":
        feast_workload(args[1], args[2], int(args[3]), [int(s) for s in args[4].split(",")])
    elif args[0] == "--h2load-log":
        h2load_log(*args[1:4])
    elif args[0] == "--h2load-rate":
        h2load_rate(*args[1:4], allow_failures="--allow-failures" in args)
    elif args[0] == "--compare":
        compare(json.load(open(args[1])), json.load(open(args[2])))


if __name__ == "__main__":
    main()
