"""Fixtures for generation tests: the fake LLM server, tasks, skills, a sandbox."""

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fakes"))

from fake_llm import FakeLLM, running_fake_llm  # noqa: E402

from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.tasks.loader import Task, load_task  # noqa: E402

MINI = ROOT / "tests" / "fixtures" / "mini"
BOOKMARKS = ROOT / "examples" / "bookmarks"

SKILL_MD = """---
name: tiny-fastapi
description: Conventions for small FastAPI services. Use when writing FastAPI apps.
---
# Tiny FastAPI

Always read [the layout guide](references/layout.md) before writing code.
"""
LAYOUT_MD = "# Layout\n\nPut the app in src/app/main.py.\n"


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeLLM]:
    with running_fake_llm() as fake:
        yield fake


@pytest.fixture
def fake(fake_server: FakeLLM) -> FakeLLM:
    fake_server.reset()
    return fake_server


@pytest.fixture(scope="session")
def environment() -> EvaluationEnvironment:
    env = EvaluationEnvironment()
    env.ensure_built()
    return env


@pytest.fixture(scope="session")
def sandbox(environment: EvaluationEnvironment) -> Sandbox:
    return Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)


def make_task(
    root: Path, *, reference: Path | None = None, turns: int = 40, tokens: int = 200_000
) -> Task:
    """A task folder under ``root/tasks/<id>`` with a contract beside it."""
    folder = root / "tasks" / "tiny-api"
    folder.mkdir(parents=True)
    (folder / "task.toml").write_text(
        'schema_version = 1\nid = "tiny-api"\ntitle = "Tiny API"\ndifficulty = 1\n'
        f"[limits]\ntime_seconds = 300\nturns = {turns}\ntokens = {tokens}\n",
        encoding="utf-8",
    )
    (folder / "prompt.md").write_text(
        'Build a FastAPI service with GET /health returning {"status": "ok"}.\n',
        encoding="utf-8",
    )
    (root / "tasks" / "contract.md").write_text(
        "## Project requirements\n\nDeclare `[tool.fastapi] entrypoint`.\n",
        encoding="utf-8",
    )
    shutil.copytree(MINI / "acceptance", folder / "acceptance")
    shutil.copytree(reference or MINI / "project", folder / "reference")
    return load_task(folder)


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


def project_files(root: Path) -> dict[str, str]:
    """Every text file of a project folder, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
