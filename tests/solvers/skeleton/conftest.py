"""Fixtures for generation tests: the fake LLM server, tasks, skills, a sandbox."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from gen_support import LAYOUT_MD, SKILL_MD, make_task

from harness.tasks.loader import Task

from fake_llm import FakeLLM, running_fake_llm  # isort: skip - on sys.path via gen_support


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


@pytest.fixture
def skill_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "skills" / "tiny-fastapi"
    (folder / "references").mkdir(parents=True)
    (folder / "SKILL.md").write_text(SKILL_MD, encoding="utf-8")
    (folder / "references" / "layout.md").write_text(LAYOUT_MD, encoding="utf-8")
    return folder
