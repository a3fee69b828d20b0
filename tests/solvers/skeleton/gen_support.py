"""Helpers shared by the generation tests (a uniquely named module, unlike conftest)."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT / "tests" / "fakes") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "fakes"))

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


def make_task(
    root: Path,
    *,
    reference: Path | None = None,
    turns: int = 40,
    tokens: int = 200_000,
    starter: dict[str, str] | None = None,
) -> Task:
    """A task folder under ``root/tasks/<id>``, with ``root/contract.md`` (as in evals/)."""
    folder = root / "tasks" / "tiny-api"
    folder.mkdir(parents=True)
    (folder / "task.toml").write_text(
        'schema_version = 1\nid = "tiny-api"\ntitle = "Tiny API"\ndifficulty = 1\n'
        + ('kind = "extend"\n' if starter is not None else "")
        + f"[limits]\ntime_seconds = 300\nturns = {turns}\ntokens = {tokens}\n"
        + ('[starter]\npath = "starter"\n' if starter is not None else ""),
        encoding="utf-8",
    )
    for rel, content in (starter or {}).items():
        (folder / "starter" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "starter" / rel).write_text(content, encoding="utf-8")
    (folder / "prompt.md").write_text(
        'Build a FastAPI service with GET /health returning {"status": "ok"}.\n',
        encoding="utf-8",
    )
    (root / "contract.md").write_text(
        "## Project requirements\n\nDeclare `[tool.fastapi] entrypoint`.\n",
        encoding="utf-8",
    )
    shutil.copytree(MINI / "acceptance", folder / "acceptance")
    shutil.copytree(reference or MINI / "project", folder / "reference")
    return load_task(folder)


def project_files(root: Path) -> dict[str, str]:
    """Every text file of a project folder, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
