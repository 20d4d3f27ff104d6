"""`mlops drift` on real CSV files, no server: the JSON report's shape, its decisions on data
with and without drift, and a refusal that names the column."""
import json
import os
import random
import subprocess

from conftest import BIN


def write(path, rows):
    with open(path, "w") as f:
        f.write("age,income,city,churned\n")
        f.writelines(f"{a:.3f},{i:.0f},{c},{ch}\n" for a, i, c, ch in rows)


def rows(rng, n, shift):
    return [(rng.gauss(40 + 8 * shift, 10), rng.gauss(50000, 8000), rng.choice(["a", "b", "c"] if not shift else ["a", "c", "c"]),
             rng.random() < 0.2 + 0.3 * shift) for _ in range(n)]


def drift(*args):
    return subprocess.run([os.path.join(BIN, "mlops"), "drift", *args], capture_output=True, text=True, timeout=60)


def test_drift_report_from_csv_files(tmp_path):
    rng = random.Random(11)
    reference, drifted, same = tmp_path / "ref.csv", tmp_path / "cur.csv", tmp_path / "same.csv"
    write(reference, rows(rng, 800, 0) + [(float("nan"), 50000, "a", False)])
    write(drifted, rows(rng, 700, 1))
    write(same, rows(rng, 750, 0))

    report = json.loads(drift(str(reference), str(drifted), "--json").stdout)
    by_column = {c["column"]: c for c in report["columns"]}
    assert [c["column"] for c in report["columns"]] == ["age", "income", "city", "churned"]
    assert {k: c["test"] for k, c in by_column.items()} == {"age": "ks", "income": "ks", "city": "chisquare", "churned": "ztest"}
    assert by_column["age"]["drifted"] and by_column["city"]["drifted"] and by_column["churned"]["drifted"]
    assert not by_column["income"]["drifted"] and by_column["income"]["p_value"] > 0.05
    assert report["dataset_drift"] is True

    quiet = json.loads(drift(str(reference), str(same), "--json").stdout)
    assert quiet["dataset_drift"] is False

    psi = json.loads(drift(str(reference), str(drifted), "--json", "--test", "psi").stdout)
    assert all(c["test"] == "psi" and c["p_value"] is None and c["threshold"] == 0.1 for c in psi["columns"])

    refused = drift(str(reference), str(drifted), "--test", "wasserstein")
    assert refused.returncode == 1 and "column 'city'" in refused.stderr


def test_every_drift_error_is_one_line_with_the_same_prefix_naming_the_file(tmp_path):
    good, broken = tmp_path / "good.csv", tmp_path / "broken.csv"
    write(good, rows(random.Random(3), 50, 0))
    broken.write_text('age,income\n1,"2\n')
    missing = tmp_path / "missing.csv"
    for args, says in [((str(broken), str(good)), f"{broken}: "), ((str(missing), str(good)), f"cannot read {missing}"),
                       ((str(good), str(broken)), f"{broken}: ")]:
        result = drift(*args)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mlops: error: ") and says in lines[0], result.stderr
