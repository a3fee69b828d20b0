"""Build small task folders in tmp_path: a sound one, and ways to break it."""

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.sandbox import Sandbox
from harness.tasks.validate import TaskValidator

MAIN = "src/app/items/router.py"
SCHEMAS = "src/app/items/schemas.py"

#: A tiny gold project that scores 1.0 on every check: an in-memory items API.
REFERENCE = {
    "pyproject.toml": """[project]
name = "mini"
version = "1.0.0"
requires-python = ">=3.12"
dependencies = ["fastapi>=0.165", "pydantic>=2"]

[dependency-groups]
dev = ["pytest>=9", "httpx>=0.28", "anyio>=4"]

[tool.fastapi]
entrypoint = "app.main:app"

[tool.pytest.ini_options]
pythonpath = ["src"]
""",
    "src/app/__init__.py": "",
    "src/app/items/__init__.py": "",
    "src/app/main.py": '''"""The application."""

from fastapi import FastAPI

from app.items.router import router

app = FastAPI(title="mini")
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    """Report that the app is up."""
    return {"status": "ok"}
''',
    SCHEMAS: '''"""Item bodies."""

from pydantic import BaseModel, Field


class ItemIn(BaseModel):
    """A new item."""

    name: str = Field(min_length=1, max_length=50)


class ItemOut(BaseModel):
    """A stored item."""

    id: int
    name: str
''',
    "src/app/items/service.py": '''"""Items kept in memory."""

from app.items.schemas import ItemIn, ItemOut

ITEMS: list[ItemOut] = []


def store(item: ItemIn) -> ItemOut:
    """Keep an item and give it the next id."""
    stored = ItemOut(id=len(ITEMS) + 1, name=item.name)
    ITEMS.append(stored)
    return stored
''',
    MAIN: '''"""Item routes."""

from fastapi import APIRouter, status

from app.items import service
from app.items.schemas import ItemIn, ItemOut

router = APIRouter(prefix="/items")


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_item(item: ItemIn) -> ItemOut:
    """Store an item."""
    return service.store(item)
''',
    "tests/test_items.py": """from fastapi.testclient import TestClient

from app.main import app


def test_create() -> None:
    with TestClient(app) as client:
        response = client.post("/items", json={"name": "a"})
    assert response.status_code == 201
""",
}

TASK_TOML = """schema_version = 1
id = "{id}"
title = "Mini items API"
tags = ["crud"]
difficulty = 1

[limits]
time_seconds = 60
turns = 5
tokens = 1000

[acceptance]
startup_seconds = 20
test_timeout_seconds = 20
"""

ACCEPTANCE = """import httpx
import pytest


def test_health(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize("name", ["pen", "cup", "a", "x" * 50, "two words", "ümlaut"])
def test_create_item(client: httpx.Client, name: str) -> None:
    response = client.post("/items", json={"name": name})
    assert response.status_code == 201
    assert response.json()["name"] == name


@pytest.mark.parametrize("name", ["", "x" * 51])
def test_bad_name_rejected(client: httpx.Client, name: str) -> None:
    response = client.post("/items", json={"name": name})
    assert response.status_code == 422


def test_ids_differ(client: httpx.Client) -> None:
    first = client.post("/items", json={"name": "a"}).json()["id"]
    assert client.post("/items", json={"name": "b"}).json()["id"] != first
"""

#: Mutants of the mini app that the acceptance tests above catch.
CAUGHT = {
    "status-200": (MAIN, "status_code=status.HTTP_201_CREATED", "status_code=200"),
    "no-max-length": (SCHEMAS, "max_length=50", "max_length=500"),
    "no-min-length": (SCHEMAS, "min_length=1, ", ""),
    "health-down": ("src/app/main.py", '{"status": "ok"}', '{"status": "down"}'),
    "name-upper": (
        "src/app/items/service.py",
        "name=item.name)",
        "name=item.name.upper())",
    ),
}


def make_patch(reference: Path, path: str, old: str, new: str) -> str:
    """A git-style unified diff replacing ``old`` by ``new`` in one file."""
    before = (reference / path).read_text(encoding="utf-8")
    assert before.count(old) == 1, old
    after = before.replace(old, new)
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


TaskFactory = Callable[..., Path]


@pytest.fixture
def make_task(tmp_path: Path) -> TaskFactory:
    """Write a sound task folder (``mini``) under ``tmp_path/tasks``; tweak it per test."""

    def build(task_id: str = "mini", *, extra_tests: str = "") -> Path:
        root = tmp_path / "tasks" / task_id
        (root / "acceptance").mkdir(parents=True)
        (root / "mutants").mkdir()
        for relative, text in REFERENCE.items():
            target = root / "reference" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (root / "task.toml").write_text(TASK_TOML.format(id=task_id), encoding="utf-8")
        (root / "prompt.md").write_text("Build a tiny items API.\n", encoding="utf-8")
        (root / "acceptance" / "test_mini_api.py").write_text(
            ACCEPTANCE + extra_tests, encoding="utf-8"
        )
        for name, (path, old, new) in CAUGHT.items():
            add_mutant(root, name, old, new, path)
        return root

    return build


def add_mutant(root: Path, name: str, old: str, new: str, path: str = MAIN) -> Path:
    """Add ``mutants/<name>.patch`` to a task."""
    target = root / "mutants" / f"{name}.patch"
    target.write_text(make_patch(root / "reference", path, old, new), encoding="utf-8")
    return target


@pytest.fixture
def mutate() -> Callable[..., Path]:
    """``add_mutant`` as a fixture (test modules do not import conftest)."""
    return add_mutant


@pytest.fixture(scope="session")
def validator() -> TaskValidator:
    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    return TaskValidator(sandbox, environment)
