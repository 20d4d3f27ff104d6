"""The README's "Calling it from Python" steps, run as written against a live platform (the
first hour's item 4: they used to fail — no gen/ directory, no PYTHONPATH, a port that was not
the gateway's). Only what ties them to this test changes: the interpreter (this venv's, which
has grpcio-tools), the gateway port and the admin key's path."""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def readme_blocks():
    text = open(os.path.join(ROOT, "README.md")).read()
    section = text[text.index("## Calling it from Python"):]
    shell = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    python = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    return shell, python


def test_the_readme_python_steps_work_as_written(platform, tmp_path):
    shell, python = readme_blocks()
    shutil.copytree(os.path.join(ROOT, "proto"), tmp_path / "proto")  # the repository root, as the README assumes
    example = python.replace("127.0.0.1:7000", f"127.0.0.1:{platform.base}").replace(
        '"data/gateway/admin.key"', repr(os.path.join(platform.data_dir, "gateway", "admin.key")))
    (tmp_path / "example.py").write_text(example)
    for line in shell.strip().splitlines():
        if line.startswith("python3 -m venv"):
            continue  # this test's interpreter already has grpcio and grpcio-tools
        command = line.replace(".venv/bin/python", sys.executable)
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{line}\n{done.stderr}"
    assert re.fullmatch(r"experiment \d+\n", done.stdout), done.stdout


def test_the_readme_mlflow_example_runs_as_written(platform, tmp_path):
    text = open(os.path.join(ROOT, "README.md")).read()
    section = text[text.index("## Calling it from MLflow code"):]
    python = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    example = python.replace("127.0.0.1:8000", f"127.0.0.1:{platform.http_port('gateway')}").replace(
        '"data/gateway/admin.key"', repr(os.path.join(platform.data_dir, "gateway", "admin.key"))).replace(
        'set_experiment("churn")', 'set_experiment("readme-churn")')
    (tmp_path / "example.py").write_text(example)
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("[1]"), done.stdout


def test_the_readme_first_hour_sdk_example_runs_as_written(platform, tmp_path):
    text = open(os.path.join(ROOT, "README.md")).read()
    section = text[text.index("## The first hour"):text.index("## Architecture")]
    python = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    example = python.replace("127.0.0.1:7000", f"127.0.0.1:{platform.base}").replace(
        '"data/gateway/admin.key"', repr(os.path.join(platform.data_dir, "gateway", "admin.key"))).replace(
        '"churn"', '"readme-first-hour"')
    (tmp_path / "example.py").write_text(example)
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["run_name", "metrics.auc", "first", "0.91"], done.stdout


def test_the_sdk_readme_tour_runs_as_written(platform, tmp_path):
    import base64
    text = open(os.path.join(ROOT, "clients", "python", "README.md")).read()
    python = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    example = python.replace("127.0.0.1:7000", f"127.0.0.1:{platform.base}").replace(
        '"data/gateway/admin.key"', repr(os.path.join(platform.data_dir, "gateway", "admin.key"))).replace(
        '"churn"', '"sdk-readme"')
    # model.onnx: the logistic regression on 8 features that `mlops demo` ships (X: float [-1, 8]).
    models = open(os.path.join(ROOT, "services", "mlops", "DemoModels.swift")).read()
    encoded = re.search(r'static let version1 =\s*"([^"]+)"', models).group(1)
    (tmp_path / "model.onnx").write_bytes(base64.b64decode(encoded))
    (tmp_path / "example.py").write_text(example)
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    header = done.stdout.splitlines()[0].split()
    assert sorted(header) == ["label", "probabilities"], done.stdout  # the outputs DataFrame, one column per output
