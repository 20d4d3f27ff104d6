#!/usr/bin/env python3
"""Reference values for MLOpsStatistics, computed with numpy/scipy on seeded samples of several
sizes, ties and shapes, written to Tests/MLOpsStatisticsTests/Fixtures/statistics.json.
Run with the models venv: .venv-models/bin/python scripts/monitor/make-stat-fixtures.py"""
import json
import os

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, false_discovery_control, ks_2samp, norm, wasserstein_distance

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MLOpsStatisticsTests", "Fixtures", "statistics.json")
rng = np.random.default_rng(20261127)


def psi(reference, current, bins=10):
    """The issue's PSI: edges at the reference's quantiles (numpy linear interpolation), outer
    edges open, bin i = [e_i, e_i+1), proportions floored at 1e-4."""
    edges = np.quantile(reference, np.linspace(0, 1, bins + 1))[1:-1]
    ref = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=bins) / len(reference)
    cur = np.bincount(np.searchsorted(edges, current, side="right"), minlength=bins) / len(current)
    ref = np.maximum(ref, 1e-4)
    cur = np.maximum(cur, 1e-4)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def samples():
    """(name, reference, current) pairs: sizes, shifts, ties and skew."""
    yield "normal-200-same", rng.normal(0, 1, 200), rng.normal(0, 1, 180)
    yield "normal-1000-shift", rng.normal(0, 1, 1000), rng.normal(0.3, 1.2, 900)
    yield "normal-5000-small-shift", rng.normal(5, 2, 5000), rng.normal(5.1, 2, 5000)
    yield "integers-with-ties", rng.integers(0, 8, 700).astype(float), rng.integers(1, 9, 650).astype(float)
    yield "lognormal-skew", rng.lognormal(0, 1, 3000), rng.lognormal(0.2, 1, 2500)
    yield "tiny", np.array([1.0, 2.0, 2.0, 3.0, 7.0]), np.array([2.0, 3.0, 3.0, 9.0])
    yield "equal-sizes-40", rng.normal(0, 1, 40), rng.normal(0.8, 1, 40)
    yield "far-apart-300", rng.normal(0, 1, 300), rng.normal(1.5, 1, 250)
    # Very unequal sizes, either way round, one with ties across the samples: Wasserstein walks
    # the larger sample in runs between the smaller one's values.
    yield "unequal-4000-vs-150-ties", np.round(rng.normal(0, 1, 4000), 1), np.round(rng.normal(0.2, 1, 150), 1)
    yield "unequal-150-vs-4000", rng.normal(0, 1, 150), rng.normal(0, 1.3, 4000)


def categorical():
    yield "binary", rng.choice(2, 500, p=[0.7, 0.3]), rng.choice(2, 400, p=[0.6, 0.4])
    yield "three", rng.choice(3, 1000, p=[0.5, 0.3, 0.2]), rng.choice(3, 800, p=[0.45, 0.35, 0.2])
    yield "five-same", rng.choice(5, 2000), rng.choice(5, 2000)


def performance():
    """scikit-learn's metrics on seeded predictions: binary scores, multi-class labels, regression."""
    from sklearn import metrics
    local = np.random.default_rng(7)
    for n in (50, 400):
        truth = local.integers(0, 2, n)
        scores = np.clip(truth * 0.3 + local.uniform(0, 0.7, n), 0, 1).round(2)  # rounded: ties
        predicted = (scores >= 0.5).astype(int)
        yield {"kind": "binary", "truth": truth.astype(str).tolist(), "predicted": predicted.astype(str).tolist(),
               "scores": scores.tolist(), "accuracy": metrics.accuracy_score(truth, predicted),
               "precision": metrics.precision_score(truth, predicted), "recall": metrics.recall_score(truth, predicted),
               "f1": metrics.f1_score(truth, predicted), "roc_auc": metrics.roc_auc_score(truth, scores)}
    truth = local.choice(["a", "b", "c"], 300)
    predicted = np.where(local.uniform(size=300) < 0.7, truth, local.choice(["a", "b", "c"], 300))
    yield {"kind": "multiclass", "truth": truth.tolist(), "predicted": predicted.tolist(), "scores": [],
           "accuracy": metrics.accuracy_score(truth, predicted),
           "precision": metrics.precision_score(truth, predicted, average="macro"),
           "recall": metrics.recall_score(truth, predicted, average="macro"),
           "f1": metrics.f1_score(truth, predicted, average="macro"), "roc_auc": None}
    actual = local.normal(10, 3, 500)
    guess = actual + local.normal(0.5, 1, 500)
    yield {"kind": "regression", "actual": actual.tolist(), "guess": guess.tolist(),
           "rmse": float(np.sqrt(metrics.mean_squared_error(actual, guess))), "mae": metrics.mean_absolute_error(actual, guess)}


def main():
    fixtures = {"scipy": scipy.__version__, "numeric": [], "categorical": [], "proportions": [], "fdr": []}
    for name, reference, current in samples():
        fixtures["numeric"].append({
            "name": name, "reference": reference.tolist(), "current": current.tolist(),
            "ks_statistic": float(ks_2samp(reference, current).statistic),
            "ks_p_value": float(ks_2samp(reference, current, method="auto").pvalue),
            "psi": psi(reference, current), "psi_5_bins": psi(reference, current, bins=5),
            "wasserstein": float(wasserstein_distance(reference, current)),
            "wasserstein_normed": float(wasserstein_distance(reference, current) / np.std(reference)),
        })
    for name, reference, current in categorical():
        categories = sorted(set(reference) | set(current))
        ref_counts = [int(np.sum(reference == c)) for c in categories]
        cur_counts = [int(np.sum(current == c)) for c in categories]
        statistic, p_value, dof, _ = chi2_contingency([ref_counts, cur_counts])
        fixtures["categorical"].append({
            "name": name, "reference_counts": ref_counts, "current_counts": cur_counts,
            "chi2_statistic": float(statistic), "chi2_p_value": float(p_value), "chi2_dof": int(dof),
            "jensenshannon": float(jensenshannon(np.array(ref_counts) / sum(ref_counts), np.array(cur_counts) / sum(cur_counts))),
        })
    for x1, n1, x2, n2 in [(30, 100, 45, 110), (300, 1000, 310, 1000), (5, 40, 1, 38)]:
        p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        fixtures["proportions"].append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": float(z), "p_value": float(2 * norm.sf(abs(z)))})
    for ps in [[0.01, 0.04, 0.03, 0.2, 0.5], [0.001, 0.9, 0.049, 0.051, 0.02, 0.3]]:
        fixtures["fdr"].append({"p_values": ps, "adjusted": false_discovery_control(ps, method="bh").tolist()})
    fixtures["performance"] = list(performance())
    with open(OUT, "w") as f:
        json.dump(fixtures, f, indent=1)


if __name__ == "__main__":
    main()
