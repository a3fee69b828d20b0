"""Project files that would take a judge's place: reported as tampering, scored 0.

Every Python tool the scorer runs starts so that no project file can be imported before it
(:data:`harness.sandbox.TOOL_PYTHON`: ``-s -P``, and no project folder on ``PYTHONPATH``;
the project's import roots reach mypy through ``MYPYPATH`` and pytest through the harness's
plugin, once pytest's own plugins are loaded).
On top of that, a project file that *would* replace a module of the tool, of the standard
library or of the harness, were a project folder on the tool's path when it imports that
module, is tampering: the check still runs (its figures show what the tool found) but
scores 0, with the finding and the reason.

A file shadows ``NAME`` when it is importable as the top-level module ``NAME`` (``NAME.py``,
``NAME/__init__.py`` or an extension module ``NAME.*.so``; a namespace folder without
``__init__.py`` never wins over a real module and is not counted) from a folder the check
puts on the tool's ``sys.path``:

* ``mypy``: the layout's import roots (its working directory ``/work`` and ``MYPYPATH``);
* ``own_tests``: the import roots, the project's own ini ``pythonpath`` folders (both put
  on ``sys.path`` by the harness's plugin before the first conftest), and the folder that
  pytest's ``prepend`` import mode inserts for each test module and conftest (the first
  folder above it without ``__init__.py``).

``NAME`` counts when it is (the finding's code is ``tamper:shadows-<kind>``):

* ``stdlib``: a module of the standard library (``sys.stdlib_module_names`` of the harness's
  interpreter, the same Python minor version as the environment's by default);
* ``tool``: a top-level module of the distributions the check's tool is made of, with
  everything they require in the evaluation environment: mypy and its pydantic plugin for
  ``mypy``; pytest and every ``pytest11`` plugin installed for ``own_tests``;
* ``harness``: a module of the harness's that the tool imports from ``/harness`` (pytest:
  ``scorer_pytest_report``);
* ``startup``: ``sitecustomize`` or ``usercustomize``, or a ``.pth`` file in such a folder
  (the interpreter's start-up hooks).

Any other name is the project's to choose: a module named like a third-party package that
no judging tool is made of (``jwt.py``, ``alembic/``) is not tampering.
"""

from __future__ import annotations

import fnmatch
import functools
import importlib.machinery
import posixpath
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import Distribution, distributions
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from harness.sandbox import WORK
from harness.scoring.context import MAX_FINDINGS
from harness.scoring.models import CheckResult, Finding

if TYPE_CHECKING:
    from harness.environment import EvaluationEnvironment
    from harness.project import Project

ShadowKind = Literal["stdlib", "tool", "harness", "startup"]


@dataclass(frozen=True)
class JudgingTool:
    """A Python tool a check runs over the project's files.

    Attributes:
        name: The tool, as findings name it.
        distributions: The distributions it is made of (their requirements count too).
        plugin_group: The entry-point group whose plugins it loads by itself.
        harness_modules: The harness's own modules it imports (from ``/harness``).
    """

    name: str
    distributions: tuple[str, ...]
    plugin_group: str | None = None
    harness_modules: tuple[str, ...] = ()


#: The Python tools of the checks that run one (ruff is a native binary: nothing to shadow).
CHECK_TOOLS: dict[str, JudgingTool] = {
    "mypy": JudgingTool("mypy", ("mypy", "pydantic")),
    "own_tests": JudgingTool(
        "pytest", ("pytest",), "pytest11", ("scorer_pytest_report",)
    ),
}
#: The prefix of every tampering finding's code.
TAMPER = "tamper:"
STARTUP_HOOKS = frozenset({"sitecustomize", "usercustomize"})
_DEFAULT_TEST_FILES = ("test_*.py", "*_test.py")
_WHAT: dict[ShadowKind, str] = {
    "stdlib": "a standard-library module",
    "tool": "part of {tool} itself",
    "harness": "a module of the harness",
    "startup": "an interpreter start-up hook",
}


def _module_name(name: str) -> str | None:
    """The module a file of this name is imported as, if it is an importable module."""
    for suffix in importlib.machinery.all_suffixes():
        if name.endswith(suffix) and suffix != ".pyc":
            stem = name[: -len(suffix)]
            return stem if stem.isidentifier() else None
    return None


def _top_level_names(dist: Distribution) -> set[str]:
    """The top-level modules a distribution installs (``top_level.txt`` or its RECORD)."""
    listed = dist.read_text("top_level.txt")
    if listed:
        return {line.strip() for line in listed.splitlines() if line.strip()}
    names: set[str] = set()
    for entry in dist.files or ():
        parts = PurePosixPath(str(entry)).parts
        first = parts[0] if parts else ""
        if first in {"", "..", "__pycache__"} or first.endswith(
            (".dist-info", ".data")
        ):
            continue
        module = first if len(parts) > 1 else _module_name(first)
        if module and module.isidentifier():
            names.add(module)
    return names


@functools.cache
def _tool_modules(
    site: Path, python: str, roots: tuple[str, ...], plugins: str | None
) -> frozenset[str]:
    """Top-level modules of ``roots``, the ``plugins`` group's distributions and their needs."""
    by_name = {
        canonicalize_name(dist.metadata["Name"] or ""): dist
        for dist in distributions(path=[str(site)])
    }
    wanted = [canonicalize_name(root) for root in roots]
    if plugins is not None:
        wanted += [
            name
            for name, dist in by_name.items()
            if any(point.group == plugins for point in dist.entry_points)
        ]
    marker_env = {"python_version": python, "python_full_version": python, "extra": ""}
    seen: set[str] = set()
    modules: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        dist = by_name[name]
        modules |= _top_level_names(dist)
        for text in dist.requires or ():
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            if requirement.marker is None or requirement.marker.evaluate(marker_env):
                wanted.append(canonicalize_name(requirement.name))
    return frozenset(modules)


def tool_modules(
    environment: EvaluationEnvironment, tool: JudgingTool
) -> frozenset[str]:
    """The top-level modules ``tool`` is made of, in the evaluation environment."""
    version = ".".join(environment.python_version().split(".")[:2])
    return _tool_modules(
        environment.site_packages(), version, tool.distributions, tool.plugin_group
    )


def _words(value: object) -> list[str]:
    """An ini option's values: a TOML list, or a whitespace-separated string."""
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).split() if value is not None else []


def pytest_pythonpath(project: Project) -> list[str]:
    """The folders the project's tests import from, as sandbox paths.

    The layout's import roots, then the project's own ini ``pythonpath`` (relative to its
    folder, where its ini file is). The harness's plugin puts them on ``sys.path``.
    """
    found = [str(path) for path in project.layout.paths(WORK)]
    for entry in _words(project.pytest_options().get("pythonpath")):
        found.append(posixpath.normpath(posixpath.join(str(WORK), entry)))
    return list(dict.fromkeys(found))


def pytest_folders(project: Project) -> set[str]:
    """Folders the project's own tests put on ``sys.path`` (relative, ``.`` for the root).

    Those of :func:`pytest_pythonpath` inside the project, and the folder pytest's
    ``prepend`` import mode inserts for each test module and conftest.
    """
    options = project.pytest_options()
    folders = {
        "." if path == str(WORK) else path.removeprefix(f"{WORK}/")
        for path in pytest_pythonpath(project)
        if path == str(WORK) or path.startswith(f"{WORK}/")
    }
    patterns = tuple(_words(options.get("python_files"))) or _DEFAULT_TEST_FILES
    present = set(project.files)
    for rel in project.python_files:
        name = PurePosixPath(rel).name
        if name != "conftest.py" and not any(
            fnmatch.fnmatch(name, pattern) for pattern in patterns
        ):
            continue
        folder = PurePosixPath(rel).parent
        while folder != PurePosixPath(".") and f"{folder}/__init__.py" in present:
            folder = folder.parent
        folders.add(str(folder))
    return folders


def shadowing(
    files: Iterable[str],
    folders: Iterable[str],
    tool: JudgingTool,
    modules: frozenset[str],
) -> list[Finding]:
    """Findings for the files that shadow a protected module from ``folders``.

    Args:
        files: The project's files, relative to it.
        folders: Project-relative folders on the tool's path (``.`` for the root).
        tool: The tool.
        modules: The top-level modules the tool is made of (:func:`tool_modules`).

    Returns:
        One ``tamper:shadows-<kind>`` finding per file, sorted by path.
    """
    roots = {str(PurePosixPath(folder)) for folder in folders}
    found: list[Finding] = []
    for rel in files:
        path = PurePosixPath(rel)
        name: str | None
        if str(path.parent) in roots:
            name = path.name if path.suffix == ".pth" else _module_name(path.name)
        elif path.name == "__init__.py" and str(path.parent.parent) in roots:
            name = path.parent.name
        else:
            continue
        kind: ShadowKind
        if name is None:
            continue
        if path.suffix == ".pth" or name in STARTUP_HOOKS:
            kind = "startup"
        elif name in tool.harness_modules:
            kind = "harness"
        elif name in modules:
            kind = "tool"
        elif name in sys.stdlib_module_names:
            kind = "stdlib"
        else:
            continue
        message = (
            f"{rel} is a start-up file (.pth) on {tool.name}'s path"
            if path.suffix == ".pth"
            else f"{rel} shadows `{name}`, {_WHAT[kind].format(tool=tool.name)}, on "
            f"{tool.name}'s path"
        )
        found.append(Finding(code=f"{TAMPER}shadows-{kind}", message=message, path=rel))
    return sorted(found, key=lambda finding: finding.path or "")


def tamper_findings(
    check: str, project: Project, environment: EvaluationEnvironment
) -> list[Finding]:
    """The tampering findings for one check (none for checks that run no Python tool)."""
    tool = CHECK_TOOLS.get(check)
    if tool is None:
        return []
    folders = (
        pytest_folders(project)
        if check == "own_tests"
        else set(project.layout.import_roots)
    )
    return shadowing(project.files, folders, tool, tool_modules(environment, tool))


def flag_tampering(outcome: CheckResult, found: list[Finding]) -> CheckResult:
    """The check's result scored 0 for tampering; the tool's own findings kept after.

    Args:
        outcome: What the check found (its tool ran as usual); its own ``tamper:``
            findings (a project module that ran before the harness's pytest plugin) count.
        found: The files found shadowing a module (:func:`tamper_findings`).

    Returns:
        ``outcome`` unchanged when there is no tampering, else failed with score 0, the
        tampering findings first and the reason naming the first.
    """
    own = [f for f in outcome.findings if f.code.startswith(TAMPER)]
    findings = found + own
    if not findings:
        return outcome
    more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
    said = f" (the tool found: {outcome.reason})" if outcome.reason else ""
    reason = (
        f"tampering: {findings[0].message}{more}; scored 0, rename or remove it{said}"
    )
    kept = findings + [f for f in outcome.findings if f not in own]
    return outcome.model_copy(
        update={
            "status": "fail",
            "score": 0.0,
            "reason": reason,
            "figures": dict(
                sorted({**outcome.figures, "tamper": len(findings)}.items())
            ),
            "findings": kept[:MAX_FINDINGS],
            "findings_omitted": outcome.findings_omitted
            + max(0, len(kept) - MAX_FINDINGS),
            "charged_to": None,
        }
    )


__all__ = [
    "CHECK_TOOLS",
    "TAMPER",
    "JudgingTool",
    "flag_tampering",
    "pytest_folders",
    "pytest_pythonpath",
    "shadowing",
    "tamper_findings",
    "tool_modules",
]
