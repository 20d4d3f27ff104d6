"""The whole lifecycle with the Python SDK and scikit-learn: train two models, export them to
ONNX, register and review them, deploy the approved one, predict, and watch its inputs drift.

Run it against a platform started with `make run` (from the repository root):

    .venv/bin/pip install ./clients/python scikit-learn skl2onnx
    .venv/bin/python examples/lifecycle.py

It reads the gateway's address from MLOPS_HOST/MLOPS_BASE_PORT (default 127.0.0.1:7000) and the
API key from MLOPS_API_KEY or data/gateway/admin.key. It exits non-zero if any step fails.
"""
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from skl2onnx import to_onnx
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

import mlops

FEATURES = [f"X_{i}" for i in range(8)]  # the router spreads the tensor X into these for monitors


def api_key():
    key = os.environ.get("MLOPS_API_KEY")
    if key:
        return key
    with open(os.path.join("data", "gateway", "admin.key")) as f:
        return f.read().strip()


def train(client, name, model, x_train, y_train, x_test, y_test, workdir):
    """Fits `model` in a run, logs what a reviewer needs, exports it to ONNX; returns the
    run id and the ONNX file."""
    with client.start_run("churn-lifecycle", run_name=name, tags={"model": type(model).__name__}) as run:
        run.log_params(model.get_params())
        model.fit(x_train, y_train)
        scores = model.predict_proba(x_test)[:, 1]
        run.log_metrics({"accuracy": accuracy_score(y_test, model.predict(x_test)), "auc": roc_auc_score(y_test, scores)})
        onnx_model = to_onnx(model, x_train[:1].astype(np.float32), options={id(model): {"zipmap": False}})
        path = os.path.join(workdir, f"{name}.onnx")
        with open(path, "wb") as f:
            f.write(onnx_model.SerializeToString())
        run.log_artifact(path, artifact_path="model")
    print(f"  run {run.id}: {name} accuracy {accuracy_score(y_test, model.predict(x_test)):.3f}")
    return run.id, path


def wait_for(what, check, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise SystemExit(f"gave up waiting for {what}")


def main():
    client = mlops.Client(api_key=api_key())
    x, y = make_classification(n_samples=3000, n_features=8, n_informative=5, random_state=7)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=7)

    print("1. training two models, each in a tracked run")
    workdir = tempfile.mkdtemp(prefix="lifecycle-")
    models = [("logreg", LogisticRegression(max_iter=500)), ("forest", RandomForestClassifier(n_estimators=30, max_depth=6, random_state=7))]
    trained = {name: (model, *train(client, name, model, x_train, y_train, x_test, y_test, workdir)) for name, model in models}

    print("2. registering both as versions of `churn-lifecycle`")
    signature = mlops.signature(inputs={"X": ("float", [-1, 8])}, outputs={"label": "int64", "probabilities": ("float", [-1, 2])})
    versions = {}
    for name, (_, run_id, path) in trained.items():
        version = client.models.register("churn-lifecycle", path, run_id=run_id, signature=signature, description=name)
        versions[name] = version.version
        print(f"  version {version.version} ({name}): {mlops.registry.v1.registry_pb2.ModelVersionStatus.Name(version.status)}")

    print("3. reviewing the forest, staging it and pointing the `champion` alias at it")
    forest = versions["forest"]
    client.models.review("churn-lifecycle", forest, approve=True, comment="beats the baseline on AUC")
    client.models.stage("churn-lifecycle", forest, "production")
    client.models.alias("churn-lifecycle", "champion", forest)

    print("4. watching and deploying the champion (every prediction sampled to the monitor)")
    try:
        client.deployments.delete("churn-lifecycle")  # from an earlier run of this example
    except mlops.NotFound:
        pass
    reference = pd.DataFrame(x_train, columns=FEATURES).assign(label=trained["forest"][0].predict(x_train.astype(np.float32)))
    monitor = f"churn-lifecycle-{int(time.time())}"  # a fresh monitor (and windows) each time this runs
    client.monitor.create(monitor, deployment="churn-lifecycle", features={f: "numerical" for f in FEATURES}, prediction="label", window_size=500)
    print(f"  monitor {monitor}: {client.monitor.set_reference(monitor, reference)} training rows profiled as its reference")
    client.deployments.create("churn-lifecycle", "churn-lifecycle", alias="champion", monitor_sample_rate=1.0)

    print("5. predicting, and checking the answers against scikit-learn's own")
    normal = x_test[:500].astype(np.float32)
    answer = client.deployments.predict("churn-lifecycle", {"X": normal})
    served = answer.outputs["label"].to_numpy(dtype=int)
    agreement = float(np.mean(served == trained["forest"][0].predict(normal)))
    print(f"  {len(served)} predictions by {answer.model_name} v{answer.model_version} ({answer.variant}); agree with scikit-learn on {agreement:.1%}")
    if answer.model_version != forest or agreement < 0.99:
        raise SystemExit("the deployment does not serve the approved model")

    print("6. the inputs drift: the next 500 requests have their first feature shifted")
    shifted = x_test[:500].copy()
    shifted[:, 0] += 3.0
    for start in range(0, 500, 100):
        client.deployments.predict("churn-lifecycle", {"X": shifted[start : start + 100].astype(np.float32)})
    def both_windows():
        reports = client.monitor.reports(monitor)
        return reports if len(reports) >= 2 else None

    reports = wait_for("the monitor's reports of both windows", both_windows)
    for label, report in zip(("normal traffic", "shifted traffic"), sorted(reports, key=lambda r: r.window_end.ToNanoseconds())):
        drifted = sorted(c.column for c in report.columns if c.drifted)
        print(f"  window of {report.rows} ({label}): drifted columns {drifted or 'none'}; dataset drift {report.dataset_drift}")
    if "X_0" not in drifted:
        raise SystemExit("the monitor did not see the shift in X_0")
    for alert in client.monitor.alerts(monitor):
        print(f"  alert: {alert.message}")
    print("done: see `mlops lineage churn-lifecycle` for how the deployment traces back to its runs")


if __name__ == "__main__":
    try:
        main()
    except mlops.MLOpsError as error:
        sys.exit(f"lifecycle failed: {error}")
