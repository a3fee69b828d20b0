"""What the harness learns about a project from its files, read safely on the host.

The project is untrusted: its files are read without following symbolic links, only inside
its folder, and only up to a size cap. Nothing here executes project code.

The app's entry point is ``[tool.fastapi] entrypoint = "module:attr"`` in ``pyproject.toml``
(FastAPI's own convention, used by ``fastapi dev`` and ``fastapi run``). When it is missing,
the fallback follows FastAPI CLI's discovery within the project's layout: ``main.py``,
``app.py``, ``api.py``, then the same names in the app's package(s), in each import root;
the first that assigns a top-level ``app`` or ``api`` from a call is used, named as the
layout imports it (``src.main:app`` when ``src/`` is a package), and a finding says so.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from harness.errors import UsageError
from harness.project.files import (
    copy_files,
    folder_hash,
    read_bytes_safely,
    walk_files,
)
from harness.project.layout import ProjectLayout, detect_layout
from harness.project.requirements import (
    DeclaredRequirement,
    read_requirements,
    requires_python,
)

_ENTRYPOINT = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
#: Configuration files of the tools the harness runs, by tool: ``(file, ini section)``;
#: a None section means the whole file configures the tool.
_CONFIG_FILES: dict[str, tuple[tuple[str, str | None], ...]] = {
    "ruff": (("ruff.toml", None), (".ruff.toml", None)),
    "mypy": (("mypy.ini", None), (".mypy.ini", None), ("setup.cfg", "mypy")),
    "pytest": (
        ("pytest.ini", None),
        (".pytest.ini", None),
        ("tox.ini", "pytest"),
        ("setup.cfg", "tool:pytest"),
    ),
}
_PYPROJECT_TABLES = {"ruff": ("ruff",), "mypy": ("mypy",), "pytest": ("pytest",)}


@dataclass
class Project:
    """A project folder as the harness sees it.

    Attributes:
        root: The folder.
        files: Every file that is copied and hashed, relative, sorted.
        python_files: The Python files among them.
        pyproject: ``pyproject.toml`` parsed, or None if missing or invalid.
        pyproject_error: Why ``pyproject.toml`` could not be read, if it could not.
        layout: Where the code lives and how it is imported.
        entrypoint: ``module:attr`` of the app, or None when none was found.
        entrypoint_source: How it was found (``pyproject``, ``fallback``) or why not.
        python_lines: Non-blank lines of Python, for per-KLOC normalisation.
        syntax_errors: ``(path, line, message)`` of Python files that do not parse.
        imports: Top-level names of absolute imports, with the files that import them.
        optional_imports: Those of them imported only inside a ``try`` that handles
            ``ImportError`` (a fallback, not a dependency).
        requirements: Declared dependencies, in every format read.
        requires_python: The declared Python versions, if any.
    """

    root: Path
    files: list[str]
    python_files: list[str]
    pyproject: dict[str, Any] | None
    pyproject_error: str | None
    layout: ProjectLayout
    entrypoint: str | None
    entrypoint_source: str
    python_lines: int
    syntax_errors: list[tuple[str, int, str]] = field(default_factory=list)
    imports: dict[str, list[str]] = field(default_factory=dict)
    optional_imports: list[str] = field(default_factory=list)
    requirements: list[DeclaredRequirement] = field(default_factory=list)
    requires_python: str | None = None

    @property
    def name(self) -> str:
        """The ``[project] name`` (or Poetry's) from pyproject.toml, else the folder's name."""
        tool = (self.pyproject or {}).get("tool", {})
        for table in (
            (self.pyproject or {}).get("project"),
            tool.get("poetry") if isinstance(tool, dict) else None,
        ):
            name = table.get("name") if isinstance(table, dict) else None
            if isinstance(name, str) and name.strip():
                return name
        return self.root.name

    @property
    def kloc(self) -> float:
        """Thousands of non-blank Python lines, never less than 0.1 (so tiny projects are fair)."""
        return max(self.python_lines, 100) / 1000.0

    def content_hash(self) -> str:
        """The harness's content hash over the scored files (first 16 hex digits)."""
        return folder_hash(self.root, self.files)

    def tool_config(self, tool: str) -> dict[str, Any] | None:
        """The project's own ``[tool.<tool>]`` table, reported but never obeyed."""
        tools = (self.pyproject or {}).get("tool", {})
        table = tools.get(tool) if isinstance(tools, dict) else None
        return table if isinstance(table, dict) else None

    def ignored_configs(self, tool: str) -> list[str]:
        """The project's own configuration of ``tool`` (``ruff``, ``mypy``, ``pytest``).

        Every place the tool would read settings from when run by hand: its files
        (``ruff.toml``, ``.ruff.toml``, ``mypy.ini``, ``.mypy.ini``, ``pytest.ini``), the
        sections of shared files (``setup.cfg [mypy]``, ``tox.ini [pytest]``) and
        ``pyproject.toml [tool.<tool>]``. The harness obeys none of them.
        """
        found: list[str] = []
        for name, section in _CONFIG_FILES.get(tool, ()):
            for rel in self.files:
                if PurePosixPath(rel).name != name:
                    continue
                if section is None:
                    found.append(rel)
                elif section in _ini_sections(self.root, rel):
                    found.append(f"{rel} [{section}]")
        for table in _PYPROJECT_TABLES.get(tool, ()):
            if (own := self.tool_config(table)) is not None:
                found.append(
                    f"pyproject.toml [tool.{table}] ({', '.join(sorted(own))})"
                )
        return found

    def pytest_options(self) -> dict[str, Any]:
        """The project's pytest options, from the first file pytest itself would read."""
        for rel, section in (("pytest.ini", "pytest"), (".pytest.ini", "pytest")):
            if rel in self.files:
                return _ini_options(self.root, rel, section)
        pytest_table = self.tool_config("pytest")
        if pytest_table is not None:
            options = pytest_table.get("ini_options", {})
            merged = dict(options) if isinstance(options, dict) else {}
            merged.update({k: v for k, v in pytest_table.items() if k != "ini_options"})
            return merged
        for rel, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
            if rel in self.files and section in _ini_sections(self.root, rel):
                return _ini_options(self.root, rel, section)
        return {}


def _ini(root: Path, rel: str) -> configparser.ConfigParser | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(
            (read_bytes_safely(root, rel) or b"").decode("utf-8", "replace")
        )
    except configparser.Error:
        return None
    return parser


def _ini_sections(root: Path, rel: str) -> list[str]:
    parser = _ini(root, rel)
    return parser.sections() if parser is not None else []


def _ini_options(root: Path, rel: str, section: str) -> dict[str, Any]:
    parser = _ini(root, rel)
    if parser is None or not parser.has_section(section):
        return {}
    return dict(parser.items(section))


def copy_project(project: Project, destination: Path) -> None:
    """Copy the project's scored files (no links, no ignored folders) into ``destination``."""
    copy_files(project.root, project.files, destination)


def _assigns_app(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Call
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in {"app", "api"}:
                    return target.id
    return None


def _fallback_entrypoint(
    root: Path, python_files: list[str], layout: ProjectLayout
) -> str | None:
    for rel in layout.entrypoint_candidates():
        if rel not in python_files:
            continue
        try:
            tree = ast.parse(read_bytes_safely(root, rel) or b"")
        except (SyntaxError, ValueError):
            continue
        if attr := _assigns_app(tree):
            return f"{layout.module_of(rel)}:{attr}"
    return None


def _read_pyproject(
    root: Path, files: list[str]
) -> tuple[dict[str, Any] | None, str | None]:
    if "pyproject.toml" not in files:
        return None, "no pyproject.toml"
    data = read_bytes_safely(root, "pyproject.toml")
    try:
        return tomllib.loads((data or b"").decode("utf-8")), None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, f"pyproject.toml is not valid TOML: {error}"


def _find_entrypoint(
    root: Path,
    pyproject: dict[str, Any] | None,
    python_files: list[str],
    layout: ProjectLayout,
) -> tuple[str | None, str]:
    tool = (pyproject or {}).get("tool", {})
    fastapi = tool.get("fastapi", {}) if isinstance(tool, dict) else {}
    declared = fastapi.get("entrypoint") if isinstance(fastapi, dict) else None
    if isinstance(declared, str) and _ENTRYPOINT.match(declared.strip()):
        return declared.strip(), "pyproject"
    fallback = _fallback_entrypoint(root, python_files, layout)
    if declared is not None:
        return fallback, f"[tool.fastapi] entrypoint {declared!r} is not module:attr"
    if fallback:
        return fallback, "fallback"
    return None, "no [tool.fastapi] entrypoint and no app found by FastAPI's discovery"


@dataclass
class _Scan:
    lines: int = 0
    errors: list[tuple[str, int, str]] = field(default_factory=list)
    imports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    required: set[str] = field(default_factory=set)


_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _guarded(tree: ast.Module) -> set[int]:
    """Ids of the import statements inside a ``try`` that handles a failed import."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught: set[str] = set()
        for handler in node.handlers:
            kinds = (
                handler.type.elts
                if isinstance(handler.type, ast.Tuple)
                else [handler.type]
            )
            caught |= {
                kind.id if isinstance(kind, ast.Name) else "BaseException"
                for kind in kinds
                if kind is None or isinstance(kind, ast.Name)
            }
        if caught & _IMPORT_ERRORS:
            found |= {id(sub) for stmt in node.body for sub in ast.walk(stmt)}
    return found


def _scan(root: Path, python_files: list[str]) -> _Scan:
    scan = _Scan()
    for rel in python_files:
        data = read_bytes_safely(root, rel) or b""
        scan.lines += sum(
            1 for line in data.decode("utf-8", "replace").splitlines() if line.strip()
        )
        try:
            tree = ast.parse(data, filename=rel)
        except SyntaxError as error:
            scan.errors.append((rel, error.lineno or 0, error.msg))
            continue
        except ValueError as error:
            scan.errors.append((rel, 0, str(error)))
            continue
        guarded = _guarded(tree)
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                scan.imports[name.split(".")[0]].add(rel)
                if id(node) not in guarded:
                    scan.required.add(name.split(".")[0])
    return scan


def load_project(path: Path) -> Project:
    """Inspect a project folder.

    Args:
        path: The project's folder.

    Returns:
        What the harness needs to know about it.

    Raises:
        UsageError: When the folder does not exist, is not a folder, or is far too large.
    """
    if not path.exists():
        msg = f"project folder {path} does not exist: pass the folder that holds pyproject.toml"
        raise UsageError(msg)
    if not path.is_dir():
        msg = f"{path} is a file, not a project folder: pass the folder that holds pyproject.toml"
        raise UsageError(msg)
    root = path.resolve()
    files = walk_files(root)
    python_files = [rel for rel in files if rel.endswith(".py")]
    pyproject, pyproject_error = _read_pyproject(root, files)
    layout = detect_layout(python_files)
    entrypoint, source = _find_entrypoint(root, pyproject, python_files, layout)
    scan = _scan(root, python_files)
    return Project(
        root=root,
        files=files,
        python_files=python_files,
        pyproject=pyproject,
        pyproject_error=pyproject_error,
        layout=layout,
        entrypoint=entrypoint,
        entrypoint_source=source,
        python_lines=scan.lines,
        syntax_errors=scan.errors,
        imports={name: sorted(where) for name, where in sorted(scan.imports.items())},
        optional_imports=sorted(set(scan.imports) - scan.required),
        requirements=read_requirements(root, files, pyproject),
        requires_python=requires_python(pyproject),
    )
