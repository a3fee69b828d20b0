"""Fixtures for run-layer tests: the fake LLM server, a tiny task, a run folder."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.tasks.loader import Task
from tests.fakes.fake_llm import FakeLLM, running_fake_llm
from tests.solvers.skeleton.gen_support import make_task


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeLLM) -> FakeLLM:
    fake_server.reset()
    return fake_server


@pytest.fixture
def task(tmp_path: Path) -> Task:
    return make_task(tmp_path)
