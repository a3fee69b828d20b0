"""The scripted fake model API, one server per test module, reset for each test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fakes"))

from fake_llm import FakeLLM, running_fake_llm


@pytest.fixture(scope="module")
def fake_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as server:
        yield server


@pytest.fixture
def fake(fake_server: FakeLLM) -> FakeLLM:
    fake_server.reset()
    return fake_server
