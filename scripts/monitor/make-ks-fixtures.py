#!/usr/bin/env python3
"""Reference values for the KS p-value above 10,000 values: scipy.stats.kstwo.sf(d, n) on a grid
of n and d that reaches every method scipy picks (Ruben-Gambino ends, 2*smirnov, Durbin matrix,
Pomeranz, Pelz-Good), and ks_2samp (method "auto" -> asymptotic) on seeded samples.
Writes Tests/MLOpsStatisticsTests/Fixtures/ks_asymptotic.json.
Run with the models venv: .venv-models/bin/python scripts/monitor/make-ks-fixtures.py"""
import json
import os

import numpy as np
import scipy
from scipy.stats import ks_2samp, kstwo

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MLOpsStatisticsTests", "Fixtures", "ks_asymptotic.json")


def grid():
    for n in (5, 40, 99, 140, 141, 500, 4999, 20000, 99999, 100001, 250000, 500000):
        # d around the method boundaries: t = n*d near 0.5 and 1, n*d^2 near 0.754693, 2.2, 4,
        # n*d^1.5 near 1.4, and d >= 0.5.
        ds = {0.6 / n, 0.9 / n, 1.5 / n, (0.7 / n) ** 0.5, (0.8 / n) ** 0.5, (1.5 / n) ** 0.5, (2.1 / n) ** 0.5,
              (2.3 / n) ** 0.5, (3.9 / n) ** 0.5, (4.1 / n) ** 0.5, (10 / n) ** 0.5, (30 / n) ** 0.5,
              (1.3 / n) ** (2 / 3), (1.5 / n) ** (2 / 3), 0.3, 0.55, 1 - 1.5 / n}
        for d in sorted(ds):
            if 0 < d < 1:
                yield {"n": n, "d": d, "sf": float(kstwo.sf(d, n))}


def samples():
    rng = np.random.default_rng(1127)
    # Three decimals keep the fixture small (and add ties).
    yield "12000-vs-300-shift", rng.normal(0, 1, 12000).round(3), rng.normal(0.15, 1, 300).round(3)
    yield "10500-vs-10100-same", rng.normal(0, 1, 10500).round(3), rng.normal(0, 1, 10100).round(3)
    yield "12000-vs-12000-small-shift", rng.normal(0, 1, 12000).round(3), rng.normal(0.04, 1, 12000).round(3)
    yield "30000-vs-60-ties", rng.integers(0, 50, 30000).astype(float), rng.integers(2, 52, 60).astype(float)


def main():
    fixtures = {"scipy": scipy.__version__, "kstwo": list(grid()), "samples": []}
    for name, reference, current in samples():
        result = ks_2samp(reference, current)
        fixtures["samples"].append({"name": name, "reference": reference.tolist(), "current": current.tolist(),
                                    "statistic": float(result.statistic), "p_value": float(result.pvalue)})
    with open(OUT, "w") as f:
        json.dump(fixtures, f)


if __name__ == "__main__":
    main()
