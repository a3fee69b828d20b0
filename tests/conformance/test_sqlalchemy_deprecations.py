"""The no-deprecated-sqlalchemy rule names what the environment's SQLAlchemy really deprecates."""

import json
import subprocess
from pathlib import Path

import pytest

from harness.environment import EvaluationEnvironment
from harness.scoring.checks.conformance.rules.deprecations import (
    SQLALCHEMY_DEPRECATED_ATTRIBUTES,
    SQLALCHEMY_DEPRECATED_FUNCTIONS,
    SQLALCHEMY_DEPRECATED_METHODS,
)

SCRIPT = Path(__file__).with_name("sqlalchemy_deprecations_script.py")


@pytest.mark.slow
def test_every_api_the_rule_names_warns_in_the_environment() -> None:
    environment = EvaluationEnvironment()
    environment.ensure_built()
    done = subprocess.run(
        [str(environment.python), str(SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    warned = json.loads(done.stdout)
    named = {
        *SQLALCHEMY_DEPRECATED_METHODS,
        *SQLALCHEMY_DEPRECATED_ATTRIBUTES,
        *SQLALCHEMY_DEPRECATED_FUNCTIONS,
        "t",  # Result.t, flagged when a result method follows it
        "lazy=noload",
    }
    assert set(warned) == named, "the script and the rule name different APIs"
    assert {name for name, did in warned.items() if not did} == set()
