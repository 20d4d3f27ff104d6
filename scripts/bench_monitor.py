#!/usr/bin/env python3
"""Issue #7's comparison: the monitor's figures (from Benchmarks/MonitorBench, JSON on stdin of
--figures) next to scipy.stats.ks_2samp + a numpy PSI and Evidently's DataDriftPreset on the
same columns (written by MonitorBench as raw doubles), in the same run. Also checks that the
server's KS statistics, p-values and PSI agree with scipy/numpy at this size."""
import argparse
import json
import os
import time

import numpy as np
from scipy.stats import ks_2samp


def psi(reference, current, bins=10):
    edges = np.quantile(reference, np.linspace(0, 1, bins + 1))[1:-1]
    ref = np.maximum(np.bincount(np.searchsorted(edges, reference, side="right"), minlength=bins) / len(reference), 1e-4)
    cur = np.maximum(np.bincount(np.searchsorted(edges, current, side="right"), minlength=bins) / len(current), 1e-4)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def load(directory, name, columns, rows):
    return np.fromfile(os.path.join(directory, f"{name}.f64"), dtype="<f8").reshape(columns, rows)


def scipy_numpy(reference, current):
    start = time.perf_counter()
    ks = [ks_2samp(r, c) for r, c in zip(reference, current)]
    ks_seconds = time.perf_counter() - start
    start = time.perf_counter()
    psis = [psi(r, c) for r, c in zip(reference, current)]
    return ks, ks_seconds, psis, time.perf_counter() - start


def evidently(reference, current, method):
    try:
        import pandas as pd
        from evidently import Report
        from evidently.presets import DataDriftPreset
    except ImportError as error:
        return None, f"Evidently not available: {error}"
    names = [f"c{j}" for j in range(reference.shape[0])]
    ref = pd.DataFrame(reference.T, columns=names)
    cur = pd.DataFrame(current.T, columns=names)
    start = time.perf_counter()
    Report([DataDriftPreset(num_method=method)]).run(cur, ref)
    return time.perf_counter() - start, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--figures", required=True, help="MonitorBench's JSON output")
    parser.add_argument("--cold", help="MonitorBench --drift-only's JSON: the window read from storage")
    args = parser.parse_args()
    figures = json.load(open(args.figures))
    cold = json.load(open(args.cold)) if args.cold else None
    columns, rows = figures["columns"], figures["rows"]
    reference, current = load(args.data, "reference", columns, rows), load(args.data, "current", columns, rows)

    ks, ks_seconds, psis, psi_seconds = scipy_numpy(reference, current)
    by_index = lambda columns: sorted(columns, key=lambda c: int(c["column"][1:]))
    server_ks = by_index(figures["compute_drift_ks_columns"])
    server_psi = by_index(figures["compute_drift_psi_columns"])
    ks_stat_error = max(abs(s["statistic"] - k.statistic) for s, k in zip(server_ks, ks))
    ks_p_error = max(abs(s["p_value"] - k.pvalue) for s, k in zip(server_ks, ks))
    psi_error = max(abs(s["statistic"] - p) / max(p, 1e-12) for s, p in zip(server_psi, psis))
    server_seconds = figures["compute_drift_ks_seconds"] + figures["compute_drift_psi_seconds"]
    reference_seconds = ks_seconds + psi_seconds

    print(f"monitor ({rows:,} reference x {rows:,} current rows, {columns} numeric columns)")
    print(f"  SetReference (profile {rows:,} streamed rows):   {figures['reference_seconds']:.2f} s")
    print(f"  LogPredictionsStream ingest, column batches:    {figures['ingest_records_per_second']:,.0f} records/s "
          f"(goal >= 100,000; {figures['ingest_windows_evaluated']} windows evaluated meanwhile, all evaluated after "
          f"{figures['ingest_until_all_windows_evaluated_seconds']:.2f} s)")
    print(f"  LogPredictionsStream ingest, a map per record:  {figures['ingest_records_per_second_maps']:,.0f} records/s")
    print(f"  background evaluation of the {rows:,}-row window: {figures['window_evaluation_seconds']:.2f} s")
    print(f"  ComputeDrift KS (window kept in memory):        {figures['compute_drift_ks_seconds']:.2f} s")
    print(f"  ComputeDrift PSI (window kept in memory):       {figures['compute_drift_psi_seconds']:.2f} s")
    cold_seconds = None
    if cold:
        cold_seconds = cold["compute_drift_ks_seconds"] + cold["compute_drift_psi_seconds"]
        print(f"  ComputeDrift KS (window read from storage):     {cold['compute_drift_ks_seconds']:.2f} s")
        print(f"  ComputeDrift PSI (window read from storage):    {cold['compute_drift_psi_seconds']:.2f} s")
        same = all(cold[f"compute_drift_{t}_columns"] == figures[f"compute_drift_{t}_columns"] for t in ("ks", "psi"))
        print(f"  same statistics and p-values from memory and from storage: {'yes' if same else 'NO'}")
    print(f"  scipy ks_2samp x {columns}:                       {ks_seconds:.2f} s")
    print(f"  numpy PSI x {columns}:                            {psi_seconds:.2f} s")
    print(f"  KS + PSI: monitor {server_seconds:.2f} s vs scipy+numpy {reference_seconds:.2f} s "
          f"-> {reference_seconds / server_seconds:.2f}x (goal >= 1x)")
    if cold_seconds:
        print(f"  KS + PSI, window read from storage: monitor {cold_seconds:.2f} s vs scipy+numpy {reference_seconds:.2f} s "
              f"-> {reference_seconds / cold_seconds:.2f}x")
    print(f"  agreement with scipy: KS statistic max |diff| {ks_stat_error:.2e}, p-value max |diff| {ks_p_error:.2e}, "
          f"PSI max relative diff {psi_error:.2e}")
    total = 0.0
    for method in ("ks", "psi"):
        seconds, missing = evidently(reference, current, method)
        if missing:
            print(f"  {missing}")
            return
        total += seconds
        print(f"  Evidently DataDriftPreset(num_method={method!r}): {seconds:.2f} s")
    print(f"  KS + PSI: monitor {server_seconds:.2f} s vs Evidently {total:.2f} s -> {total / server_seconds:.1f}x (goal >= 50x)")
    if cold_seconds:
        print(f"  KS + PSI, window read from storage: monitor {cold_seconds:.2f} s vs Evidently {total:.2f} s "
              f"-> {total / cold_seconds:.1f}x")


if __name__ == "__main__":
    main()
