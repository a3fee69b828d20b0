"""Fixtures for the coding-agent tests: the real CLIs (installed with npm), the fake, a sandbox."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fakes"))

from fake_llm import FakeLLM, running_fake_llm

from harness.solvers.coding_agents.clis import (
    CLIS,
    AgentCLI,
    AgentUnavailableError,
    install_cli,
)


def _cli(name: str) -> AgentCLI:
    cli = CLIS[name]
    if cli.installed():
        return cli
    try:
        install_cli(cli)
    except AgentUnavailableError as error:
        # Loud on purpose: the only reason to skip is that npm cannot fetch the CLI here.
        sys.stderr.write(f"\nSKIPPING {name} end-to-end tests: {error}\n")
        pytest.skip(f"{cli.title} cannot be installed here ({error})")
    return cli


@pytest.fixture(scope="session")
def claude_cli() -> AgentCLI:
    return _cli("claude-code")


@pytest.fixture(scope="session")
def codex_cli() -> AgentCLI:
    return _cli("codex")


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeLLM) -> FakeLLM:
    fake_server.reset()
    return fake_server
