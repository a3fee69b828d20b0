"""Which import names a distribution provides, with and without the distribution at hand."""

import json
import subprocess

import pytest

from harness.environment import EvaluationEnvironment
from harness.project.distributions import import_names, provides


@pytest.mark.parametrize(
    ("distribution", "module"),
    [
        ("tortoise-orm", "tortoise"),
        ("django-environ", "environ"),
        ("fastapi-cache2", "fastapi_cache"),
        ("newspaper3k", "newspaper"),
        ("python-jose", "jose"),
        ("PyJWT", "jwt"),
        ("psycopg2-binary", "psycopg2"),
        ("pydantic-settings", "pydantic_settings"),
        ("google-cloud-storage", "google"),
        ("Pillow", "PIL"),
        ("beautifulsoup4", "bs4"),
        ("mysqlclient", "MySQLdb"),
        ("grpcio", "grpc"),
        ("opencv-python-headless", "cv2"),
    ],
)
def test_a_missing_distribution_provides_its_import_name(
    distribution: str, module: str
) -> None:
    assert provides(distribution, module)


def test_names_are_not_invented_from_prefixes() -> None:
    assert "thon_jose" not in import_names("python-jose")
    assert "dantic" not in import_names("pydantic-settings")
    assert not provides("fastapi", "redis")


def test_the_environment_reads_top_level_names_as_importlib_does() -> None:
    environment = EvaluationEnvironment()
    environment.ensure_built()
    script = (
        "import importlib.metadata as md, json\n"
        "from packaging.utils import canonicalize_name as c\n"
        "out = {}\n"
        "for module, dists in md.packages_distributions().items():\n"
        "    for d in dists:\n"
        "        out.setdefault(str(c(d)), []).append(module)\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [str(environment.python), "-I", "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    by_importlib = {
        dist: {m for m in modules if m != "__pycache__"}
        for dist, modules in json.loads(done.stdout).items()
    }
    ours = environment.top_level_names()
    for dist, modules in by_importlib.items():
        assert set(ours[dist]) == modules, dist
