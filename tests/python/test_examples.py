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
