"""What the scorer learns about a project from its files, read safely on the host.

The project is untrusted: its files are read without following symbolic links, only inside
its folder, and only up to a size cap. Nothing here executes project code.

The app's entry point is ``[tool.fastapi] entrypoint = "module:attr"`` in ``pyproject.toml``
(FastAPI's own convention, used by ``fastapi dev`` and ``fastapi run``). When it is missing,
the fallback follows FastAPI CLI's discovery: the first of ``main.py``, ``app.py``, ``api.py``,
``app/main.py``, ``app/app.py``, ``app/api.py`` (each also under ``src/``) that assigns a
top-level ``app`` or ``api`` from a call (``FastAPI(...)``, ``create_app()``) is used, and a
finding says so.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import shutil
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from harness.errors import UsageError

#: Folders never copied or scored: VCS data, virtualenvs, caches, build output.
IGNORED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "env",
        ".env",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        "node_modules",
        "build",
        "dist",
        ".eggs",
        "htmlcov",
        ".idea",
        ".vscode",
    }
)
IGNORED_SUFFIXES = (".pyc", ".pyo", ".egg-info", ".db", ".sqlite", ".sqlite3")
MAX_FILES = 5000
MAX_BYTES = 50 * 1024 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024

_FALLBACK_MODULES = ("main", "app", "api", "app/main", "app/app", "app/api")
_ENTRYPOINT = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


@dataclass
class Project:
    """A project folder as the scorer sees it.

    Attributes:
        root: The folder.
        files: Every file that is copied and hashed, relative, sorted.
        python_files: The Python files among them.
        pyproject: ``pyproject.toml`` parsed, or None if missing or invalid.
        pyproject_error: Why ``pyproject.toml`` could not be read, if it could not.
        entrypoint: ``module:attr`` of the app, or None when none was found.
        entrypoint_source: How it was found (``pyproject``, ``fallback``) or why not.
        python_lines: Non-blank lines of Python, for per-KLOC normalisation.
        syntax_errors: ``(path, line, message)`` of Python files that do not parse.
    """

    root: Path
    files: list[str]
    python_files: list[str]
    pyproject: dict[str, Any] | None
    pyproject_error: str | None
    entrypoint: str | None
    entrypoint_source: str
    python_lines: int
    syntax_errors: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The ``[project] name`` from pyproject.toml, else the folder's name."""
        declared = (self.pyproject or {}).get("project", {})
        name = declared.get("name") if isinstance(declared, dict) else None
        return name if isinstance(name, str) and name.strip() else self.root.name

    @property
    def has_src_layout(self) -> bool:
        """Whether the code lives under ``src/``."""
        return any(path.startswith("src/") for path in self.python_files)

    @property
    def kloc(self) -> float:
        """Thousands of non-blank Python lines, never less than 0.1 (so tiny projects are fair)."""
        return max(self.python_lines, 100) / 1000.0

    def content_hash(self) -> str:
        """SHA-256 over the scored files' relative paths and contents (first 16 hex digits)."""
        digest = hashlib.sha256()
        for rel in self.files:
            digest.update(rel.encode() + b"\0")
            data = read_bytes_safely(self.root, rel, limit=MAX_BYTES)
            digest.update(hashlib.sha256(data or b"").digest())
        return digest.hexdigest()[:16]

    def tool_config(self, tool: str) -> dict[str, Any] | None:
        """The project's own ``[tool.<tool>]`` table, reported but never obeyed."""
        tools = (self.pyproject or {}).get("tool", {})
        table = tools.get(tool) if isinstance(tools, dict) else None
        return table if isinstance(table, dict) else None


def read_bytes_safely(
    root: Path, rel: str, *, limit: int = MAX_TEXT_BYTES
) -> bytes | None:
    """Read a project file without following links or leaving the project.

    Args:
        root: The project folder.
        rel: The file's path relative to ``root``.
        limit: Bytes to read at most.

    Returns:
        The bytes, or None if the path is a link, not a regular file, or outside ``root``.
    """
    path = root / rel
    try:
        if not path.resolve().is_relative_to(root.resolve()):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit)
    finally:
        os.close(fd)


def walk_files(root: Path) -> list[str]:
    """Relative paths of the project's files, without ignored folders, links or junk.

    Raises:
        UsageError: When the project is larger than the scorer accepts.
    """
    found: list[str] = []
    total = 0
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d for d in dirs if d not in IGNORED_DIRS and not d.endswith(".egg-info")
        )
        for name in sorted(files):
            full = Path(current) / name
            if full.is_symlink() or name.endswith(IGNORED_SUFFIXES):
                continue
            rel = full.relative_to(root).as_posix()
            found.append(rel)
            total += full.lstat().st_size
            if len(found) > MAX_FILES or total > MAX_BYTES:
                msg = (
                    f"{root} holds more than {MAX_FILES} files or {MAX_BYTES // 2**20} MiB outside "
                    "ignored folders: point `harness score` at the project itself"
                )
                raise UsageError(msg)
    return sorted(found)


def copy_project(project: Project, destination: Path) -> None:
    """Copy the project's scored files (no links, no ignored folders) into ``destination``."""
    for rel in project.files:
        data = read_bytes_safely(project.root, rel, limit=MAX_BYTES)
        if data is None:
            continue
        target = destination / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _module_of(rel: str) -> str:
    path = PurePosixPath(rel).with_suffix("")
    parts = path.parts[1:] if path.parts[0] == "src" else path.parts
    return ".".join(parts)


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


def _fallback_entrypoint(root: Path, python_files: list[str]) -> str | None:
    candidates = [
        f"{prefix}{module}.py"
        for prefix in ("", "src/")
        for module in _FALLBACK_MODULES
    ]
    for rel in candidates:
        if rel not in python_files:
            continue
        data = read_bytes_safely(root, rel)
        try:
            tree = ast.parse(data or b"")
        except SyntaxError:
            continue
        attr = _assigns_app(tree)
        if attr:
            return f"{_module_of(rel)}:{attr}"
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
    root: Path, pyproject: dict[str, Any] | None, python_files: list[str]
) -> tuple[str | None, str]:
    declared = (pyproject or {}).get("tool", {}).get("fastapi", {}).get("entrypoint")
    if isinstance(declared, str) and _ENTRYPOINT.match(declared.strip()):
        return declared.strip(), "pyproject"
    fallback = _fallback_entrypoint(root, python_files)
    if declared is not None:
        return fallback, f"[tool.fastapi] entrypoint {declared!r} is not module:attr"
    if fallback:
        return fallback, "fallback"
    return None, "no [tool.fastapi] entrypoint and no app found by FastAPI's discovery"


def _count_lines(
    root: Path, python_files: list[str]
) -> tuple[int, list[tuple[str, int, str]]]:
    lines = 0
    errors: list[tuple[str, int, str]] = []
    for rel in python_files:
        data = read_bytes_safely(root, rel) or b""
        text = data.decode("utf-8", "replace")
        lines += sum(1 for line in text.splitlines() if line.strip())
        try:
            ast.parse(data, filename=rel)
        except SyntaxError as error:
            errors.append((rel, error.lineno or 0, error.msg))
        except ValueError as error:
            errors.append((rel, 0, str(error)))
    return lines, errors


def load_project(path: Path) -> Project:
    """Inspect a project folder.

    Args:
        path: The project's folder.

    Returns:
        What the scorer needs to know about it.

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
    entrypoint, source = _find_entrypoint(root, pyproject, python_files)
    lines, syntax_errors = _count_lines(root, python_files)
    return Project(
        root=root,
        files=files,
        python_files=python_files,
        pyproject=pyproject,
        pyproject_error=pyproject_error,
        entrypoint=entrypoint,
        entrypoint_source=source,
        python_lines=lines,
        syntax_errors=syntax_errors,
    )


def remove_tree(path: Path) -> None:
    """Delete a scratch folder, whatever a sandboxed command left in it."""
    shutil.rmtree(path, ignore_errors=True)
