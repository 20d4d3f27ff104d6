"""examples/lifecycle.py, run as a user runs it (its own process, the gateway found through
MLOPS_BASE_PORT, the key through MLOPS_API_KEY), against `mlops up`: it trains, registers,
deploys, predicts and watches drift, and exits non-zero if any step does not happen."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_lifecycle_example_runs_end_to_end(platform, tmp_path):
    environment = dict(os.environ, MLOPS_BASE_PORT=str(platform.base), MLOPS_API_KEY=platform.key)
    done = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "lifecycle.py")], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "agree with scikit-learn on 100.0%" in done.stdout, done.stdout
    assert "(normal traffic): drifted columns none" in done.stdout, done.stdout
    assert "(shifted traffic): drifted columns ['X_0'" in done.stdout, done.stdout


def test_mlops_demo_tells_the_whole_lifecycle_and_every_step_happens(platform):
    done = platform.mlops("demo")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for number in range(1, 10):
        assert f"[{number}/9]" in out, out
    assert "READY" in out and "review approved, stage production, alias champion" in out, out
    assert "100 requests by customer id: main v" in out and "failed" not in out.split("[6/9]")[0], out
    rollout = out.split("[7/9]")[1].split("[8/9]")[0]
    assert "ROLLED_BACK" in rollout and "automatic rollback" in rollout and "error rate" in rollout, rollout
    alert = out.split("[8/9]")[1].split("[9/9]")[0]
    assert "drift alert" in alert and "window of 100: no drift" in alert and "drifted X_0" in alert, alert
    lineage = out.split("[9/9]")[1]
    assert "variant main (primary)" in lineage and "feature views: demo_customers" in lineage and "open alert" in lineage, lineage


def test_mlops_demo_refuses_a_zero_interval_as_a_usage_error(platform):
    done = platform.mlops("demo", "--interval", "0")
    assert done.returncode == 2 and "--interval must be at least 1 second" in done.stderr, done.stderr
