"""Every CLI command group finds the platform the same way: --base-port and --host, else
MLOPS_BASE_PORT and MLOPS_HOST, else 127.0.0.1:7000 (the first hour's item 1: five groups
ignored the variables and one printed another platform's models from :7000)."""
import os
import subprocess

import pytest

from conftest import BIN, free_base_port

# One read-only call per group that uses the platform. Reaching it is what counts: a call the
# platform refuses (no such experiment, no policy yet) still found it.
CALLS = [
    ["status"], ["experiments", "list"], ["runs", "list", "--experiment", "999999"], ["models", "list"], ["audit"],
    ["monitor", "list"], ["features", "list"], ["deploy", "list"], ["keys", "list"], ["policy", "show"],
]
UNREACHED = ("cannot reach", "UNREACHABLE", "unavailable")


def run(args, environment):
    return subprocess.run([os.path.join(BIN, "mlops"), *args], capture_output=True, text=True, timeout=60, env=environment)


@pytest.mark.parametrize("args", CALLS, ids=[" ".join(c) for c in CALLS])
def test_each_group_reads_the_platform_address_from_the_environment(platform, args):
    environment = dict(os.environ, MLOPS_API_KEY=platform.key, MLOPS_BASE_PORT=str(platform.base), MLOPS_HOST="127.0.0.1")
    found = run(args, environment)
    assert not any(word in found.stdout + found.stderr for word in UNREACHED), found.stdout + found.stderr

    empty = free_base_port()
    missed = run(args, dict(environment, MLOPS_BASE_PORT=str(empty)))
    assert missed.returncode != 0
    assert f"127.0.0.1:{empty}" in missed.stdout + missed.stderr, missed.stdout + missed.stderr

    # The flag still wins over the variable.
    flagged = run([*args, f"--base-port={platform.base}"], dict(environment, MLOPS_BASE_PORT=str(empty)))
    assert not any(word in flagged.stdout + flagged.stderr for word in UNREACHED), flagged.stdout + flagged.stderr


def test_a_base_port_variable_that_is_not_a_port_is_refused_naming_it(platform):
    refused = run(["models", "list"], dict(os.environ, MLOPS_BASE_PORT="seven"))
    assert refused.returncode != 0 and "MLOPS_BASE_PORT" in refused.stderr
