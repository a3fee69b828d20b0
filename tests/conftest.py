"""Fixtures every test folder shares: the evaluation environment and a sandbox on it."""

from __future__ import annotations

import pytest

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.sandbox import Sandbox


@pytest.fixture(scope="session")
def environment() -> EvaluationEnvironment:
    """The shared evaluation environment, built once (a no-op when it is current)."""
    env = EvaluationEnvironment()
    env.ensure_built()
    return env


@pytest.fixture(scope="session")
def sandbox(environment: EvaluationEnvironment) -> Sandbox:
    """A bubblewrap sandbox on the evaluation environment."""
    return Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
