"""Find, read and check the shape of tasks (``evals/tasks/<id>/``) and suites.

Everything here is static: files are read, nothing runs. ``harness.tasks.validate`` runs
the reference, the empty project, the starter and the mutants.
"""

from __future__ import annotations

import ast
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.environment import REPO_ROOT
from harness.errors import HarnessError, UsageError, first_error
from harness.project import folder_hash
from harness.scoring.context import AcceptanceSpec
from harness.tasks.config import TaskConfig
from harness.tasks.probes import ProbeCatalog, load_probes, probes_path

#: Where tasks live in a checkout (``$HARNESS_TASKS_DIR`` overrides it).
DEFAULT_TASKS_DIR = REPO_ROOT / "evals" / "tasks"
#: Fewest mutants a task must ship.
MIN_MUTANTS = 5
#: How a prompt would give the skill away (a task about, say, job seekers' skills is fine).
_SKILL_WORD = re.compile(
    r"SKILL\.md|\.agents/|python-fastapi-developer|\b(?:agent|fastapi|the|this|your)"
    r" skills?\b",
    re.IGNORECASE,
)


class TaskError(HarnessError):
    """A task folder that is not valid; the message names the file, the problem, the fix."""


def tasks_dir(override: Path | None = None) -> Path:
    """The folder holding the tasks: ``override``, ``$HARNESS_TASKS_DIR`` or ``evals/tasks``."""
    if override is not None:
        return override.resolve()
    env = os.environ.get("HARNESS_TASKS_DIR")
    return Path(env).resolve() if env else DEFAULT_TASKS_DIR


def contract_path(root: Path) -> Path:
    """``contract.md`` beside the tasks folder (``evals/contract.md``)."""
    return root.parent / "contract.md"


def _format_error(where: Path, error: ValidationError) -> str:
    location, why = first_error(error, top="(top level)")
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return (
        f"{where}: {location}: {why}{more}: "
        "fix task.toml "
        "(format: docs/writing-tasks.md)"
    )


def read_config(path: Path, probes: ProbeCatalog | None = None) -> TaskConfig:
    """Parse and validate one ``task.toml``.

    Args:
        path: The file.
        probes: The probe catalogue its ``probes`` must come from (default: the
            ``probes.toml`` beside the tasks folder holding ``path``).

    Raises:
        TaskError: One line naming the file, the field and the problem.
        ProbeError: When the probe catalogue itself is invalid.
    """
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path} is missing: every task folder needs a task.toml"
        raise TaskError(msg) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: not valid TOML ({error}): fix the syntax"
        raise TaskError(msg) from None
    catalog_file = probes_path(path.parent.parent)
    catalog = probes if probes is not None else load_probes(catalog_file)
    context = {"probes": catalog.ids, "probes_file": str(catalog_file)}
    try:
        return TaskConfig.model_validate(data, context=context)
    except ValidationError as error:
        raise TaskError(_format_error(path, error)) from None


@dataclass(frozen=True)
class Task:
    """A task folder, its configuration and the paths of its parts.

    Attributes:
        config: ``task.toml``.
        root: The task folder.
    """

    config: TaskConfig
    root: Path

    @property
    def id(self) -> str:
        """The task id."""
        return self.config.id

    @property
    def prompt_file(self) -> Path:
        """``prompt.md``."""
        return self.root / "prompt.md"

    @property
    def acceptance_dir(self) -> Path:
        """The hidden tests."""
        return self.root / "acceptance"

    @property
    def reference_dir(self) -> Path:
        """The gold project."""
        return self.root / "reference"

    @property
    def starter_dir(self) -> Path | None:
        """The starter codebase, if the task has one."""
        if self.config.starter is None:
            return None
        return self.root / self.config.starter.path

    @property
    def mutants(self) -> list[Path]:
        """The mutant patches, sorted by name."""
        folder = self.root / "mutants"
        return sorted(folder.glob("*.patch")) if folder.is_dir() else []

    def prompt(self) -> str:
        """The product request alone (without the contract)."""
        return self.prompt_file.read_text(encoding="utf-8").strip()

    def contract(self) -> str | None:
        """The shared contract every arm is told (``evals/contract.md``), if there is one."""
        path = contract_path(self.root.parent)
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def full_prompt(self) -> str:
        """What the model is told: the request, then the shared contract."""
        contract = self.contract()
        text = self.prompt()
        if contract is not None:
            text += "\n\n" + contract.strip()
        return text + "\n"

    def acceptance_spec(self) -> AcceptanceSpec:
        """The scorer's ``AcceptanceSpec`` for this task's hidden tests."""
        return self.config.acceptance.to_spec(self.acceptance_dir.resolve())

    def content_hash(self) -> str:
        """The harness's content hash over every file of the task (first 16 digits)."""
        return folder_hash(self.root)

    def problems(self) -> list[str]:
        """Static problems with the folder's shape (empty when sound)."""
        found: list[str] = []
        if self.config.id != self.root.name:
            found.append(
                f"id {self.config.id!r} differs from the folder name "
                f"{self.root.name!r}: rename one"
            )
        if not self.prompt_file.is_file() or not self.prompt():
            found.append("prompt.md is missing or empty: write the product request")
        elif _SKILL_WORD.search(self.prompt()):
            found.append("prompt.md mentions a skill: prompts must read like a request")
        tests = (
            sorted(self.acceptance_dir.glob("test_*.py"))
            if self.acceptance_dir.is_dir()
            else []
        )
        if not tests:
            found.append("acceptance/ has no test_*.py: add the hidden tests")
        for service in self.config.acceptance.services:
            if not (self.acceptance_dir / service.file).is_file():
                found.append(
                    f"service {service.name!r}: acceptance/{service.file} is missing"
                )
        imported = sorted(self._project_imports(tests))
        if imported:
            found.append(
                f"acceptance tests import the project ({', '.join(imported)}): "
                "test it over HTTP only, through the client fixtures"
            )
        if not (self.reference_dir / "pyproject.toml").is_file():
            found.append("reference/pyproject.toml is missing: add the gold project")
        starter = self.starter_dir
        if starter is not None and not starter.is_dir():
            found.append(f"starter folder {self.config.starter.path!r} is missing")  # type: ignore[union-attr]
        if len(self.mutants) < MIN_MUTANTS:
            found.append(
                f"{len(self.mutants)} mutant(s) in mutants/: ship at least "
                f"{MIN_MUTANTS} *.patch files"
            )
        return found

    def _project_imports(self, tests: list[Path]) -> set[str]:
        """Top-level modules of the reference (or starter) that the tests import."""
        local: set[str] = set()
        for project in (self.reference_dir, self.starter_dir):
            if project is None or not project.is_dir():
                continue
            for base in (project, project / "src"):
                if base.is_dir():
                    local.update(
                        child.stem
                        for child in base.iterdir()
                        if (child / "__init__.py").is_file() or child.suffix == ".py"
                    )
        local.discard("tests")
        imported: set[str] = set()
        for path in [*tests, *self.acceptance_dir.glob("conftest.py")]:
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    imported.update(alias.name.split(".")[0] for alias in node.names)
                elif (
                    isinstance(node, ast.ImportFrom) and node.module and not node.level
                ):
                    imported.add(node.module.split(".")[0])
        return imported & local


def load_task(path: Path) -> Task:
    """Load the task in folder ``path`` (its ``task.toml`` must be valid).

    Raises:
        TaskError: When ``task.toml`` is missing or invalid.
    """
    return Task(config=read_config(path / "task.toml"), root=path.resolve())


def task_ids(root: Path | None = None) -> list[str]:
    """Ids (folder names) of every task folder under the tasks folder, sorted."""
    folder = tasks_dir(root)
    if not folder.is_dir():
        return []
    return sorted(
        child.name for child in folder.iterdir() if (child / "task.toml").is_file()
    )


def get_task(task_id: str, root: Path | None = None) -> Task:
    """Load one task by id.

    Raises:
        UsageError: For an unknown id (the message lists the known ones).
    """
    folder = tasks_dir(root)
    if not (folder / task_id / "task.toml").is_file():
        known = ", ".join(task_ids(root)) or "none"
        msg = f"no task {task_id!r} in {folder}: choose from {known}"
        raise UsageError(msg)
    return load_task(folder / task_id)


def load_tasks(root: Path | None = None) -> list[Task]:
    """Every task, sorted by id (each ``task.toml`` must be valid)."""
    return [get_task(task_id, root) for task_id in task_ids(root)]
