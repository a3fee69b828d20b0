"""own_tests trusts the project's conftest: it says so, and makes faking results harder."""

import textwrap
from pathlib import Path

from harness.environment import EvaluationEnvironment
from harness.project import load_project
from harness.scoring.fit import assess
from tests.scoring.conftest import Scorer

FAKER = """
import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome = "passed"  # every failure reported as a pass
    return report
"""


def test_a_conftest_that_rewrites_outcomes_is_caught_and_flagged(
    score: Scorer, mini: Path
) -> None:
    (mini / "tests/conftest.py").write_text(textwrap.dedent(FAKER))
    (mini / "tests/test_broken.py").write_text(
        "def test_fails() -> None:\n    assert 1 == 2\n"
    )
    own = score(mini, checks=["own_tests"]).check("own_tests")
    assert (own.figures["passed"], own.figures["failed"]) == (2, 1)
    assert own.figures["overridden"] == 1
    assert own.figures["conftest"] == "trusted: tests/conftest.py"
    [flag] = [f for f in own.findings if f.code == "conftest-reporting-hook"]
    assert (flag.path, flag.severity) == ("tests/conftest.py", "warning")
    assert "pytest_runtest_makereport" in flag.message
    [overridden] = [
        f for f in own.findings if f.path == "tests/test_broken.py::test_fails"
    ]
    assert "reported it passed" in overridden.message
    assert own.status == "fail"


def test_the_fit_names_missing_modules_and_the_python_target(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "app/main.py").write_text(
        "import os\nimport fastapi\nimport sqlmodel\nfrom app import models\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nrequires-python = ">=3.13"\n'
    )
    fit = assess(load_project(tmp_path), EvaluationEnvironment())
    assert fit.missing_modules == ("sqlmodel",)
    assert fit.target == (3, 13)
    assert fit.python_mismatch is not None
    assert fit.python_mismatch.startswith("the project requires Python >=3.13")
