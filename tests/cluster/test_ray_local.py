"""A local Ray started by the harness (no ``--ray-address``): its workers hold no key."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from harness.cluster.ray_executor import import_ray
from harness.errors import UsageError
from tests.solvers.skeleton.gen_support import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.ray]

KEY = "sk-ant-api03-local-ray-must-not-see-this-0123456789"
PROBE = """
import json, os
from harness.cluster.ray_executor import connect, import_ray
assert connect(None, num_cpus=1)
ray = import_ray()

@ray.remote
def inside():
    return dict(os.environ), open("/proc/self/cmdline", "rb").read().decode(errors="replace")

environ, cmdline = ray.get(inside.remote())
print(json.dumps({
    "driver": os.environ.get("ANTHROPIC_API_KEY"),
    "leaked": sorted(k for k, v in environ.items() if v == os.environ["ANTHROPIC_API_KEY"]),
    "in_cmdline": os.environ["ANTHROPIC_API_KEY"] in cmdline,
}))
ray.shutdown()
"""


def test_a_local_ray_started_for_the_run_gives_its_workers_no_key():
    try:
        import_ray()
    except UsageError:
        pytest.skip("the ray extra is not installed (uv sync --extra ray)")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env |= {"ANTHROPIC_API_KEY": KEY, "OPENAI_API_KEY": KEY + "-openai"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["driver"] == KEY  # the driver keeps its key once Ray is up
    assert seen["leaked"] == []
    assert seen["in_cmdline"] is False
