"""The project's parsed Python files and the AST helpers every rule shares.

Files are read on the host with ``read_bytes_safely`` and parsed, never run. Names are
resolved through each file's imports (``sleep`` -> ``time.sleep``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from harness.scoring.results import Finding

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


@dataclass
class SourceFile:
    """One parsed Python file and what its imports make of its names.

    Attributes:
        rel: Path relative to the project.
        tree: Its syntax tree.
        aliases: Local name to qualified name (``sleep`` -> ``time.sleep``).
        is_test: Whether it is test code.
        is_migration: Whether it belongs to the migrations (``alembic/``, ``migrations/``).
    """

    rel: str
    tree: ast.Module
    aliases: dict[str, str] = field(default_factory=dict)
    is_test: bool = False
    is_migration: bool = False

    def qualify(self, node: ast.expr) -> str | None:
        """The dotted name an expression refers to, through this file's imports."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    def imports(self, *roots: str) -> bool:
        """Whether the file imports any of these top-level packages."""
        return any(q.split(".")[0] in roots for q in self.aliases.values())


@dataclass
class ProjectIndex:
    """The project's parsed files, split into application code, tests and migrations."""

    files: list[SourceFile]
    all_files: list[str]

    @property
    def app(self) -> list[SourceFile]:
        """Application code: neither tests nor migrations."""
        return [f for f in self.files if not f.is_test and not f.is_migration]


def _aliases(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    found[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _is_test(rel: str) -> bool:
    path = PurePosixPath(rel)
    return (
        "tests" in path.parts[:-1]
        or path.name.startswith("test_")
        or path.name.endswith("_test.py")
        or path.name == "conftest.py"
    )


def build_index(
    root_files: list[str], read: Callable[[str], bytes | None]
) -> ProjectIndex:
    """Parse the project's Python files (unparsable ones are left to the other checks).

    Args:
        root_files: Every file of the project, relative.
        read: Reads a file's bytes safely.

    Returns:
        The index.
    """
    files: list[SourceFile] = []
    for rel in root_files:
        if not rel.endswith(".py"):
            continue
        data = read(rel)
        if data is None:
            continue
        try:
            tree = ast.parse(data, filename=rel)
        except (SyntaxError, ValueError):
            continue
        parts = PurePosixPath(rel).parts
        tooling = any(p in {"alembic", "migrations"} for p in parts[:-1])
        files.append(
            SourceFile(
                rel=rel,
                tree=tree,
                aliases=_aliases(tree),
                is_test=_is_test(rel),
                is_migration=tooling,
            )
        )
    return ProjectIndex(files=files, all_files=root_files)


def finding(rule: str, file: SourceFile, node: ast.AST | None, message: str) -> Finding:
    """A finding of ``rule`` at ``node`` (its line, when it has one) in ``file``."""
    return Finding(
        code=rule,
        message=message,
        path=file.rel,
        line=getattr(node, "lineno", None),
    )


def calls(node: ast.AST) -> Iterator[ast.Call]:
    """Every call under ``node``, nested functions included."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            yield child


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` of ``call``, or None."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def is_true(node: ast.expr | None) -> bool:
    """Whether ``node`` is the literal ``True``."""
    return isinstance(node, ast.Constant) and node.value is True


@dataclass
class Route:
    """A path operation found by its decorator."""

    file: SourceFile
    function: ast.FunctionDef | ast.AsyncFunctionDef
    method: str
    path: str | None
    decorator: ast.Call


def routes(index: ProjectIndex) -> list[Route]:
    """The path operations of the application code, found by their decorators."""
    found: list[Route] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if not (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in HTTP_METHODS
                ):
                    continue
                first = (
                    decorator.args[0] if decorator.args else keyword(decorator, "path")
                )
                path = (
                    first.value
                    if isinstance(first, ast.Constant) and isinstance(first.value, str)
                    else None
                )
                if first is not None and path is None:
                    continue
                found.append(Route(file, node, decorator.func.attr, path, decorator))
    return found


def async_calls(function: ast.AsyncFunctionDef) -> Iterator[ast.Call]:
    """Calls made directly in an ``async def`` (not in nested functions or lambdas)."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
        ):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def orm_classes(file: SourceFile) -> Iterator[ast.ClassDef]:
    """ORM models: classes with ``__tablename__`` or ``table=True`` (SQLModel)."""
    for node in ast.walk(file.tree):
        if not isinstance(node, ast.ClassDef):
            continue
        table_kw = any(k.arg == "table" and is_true(k.value) for k in node.keywords)
        tablename = any(
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id == "__tablename__"
                for t in (
                    stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                )
            )
            for stmt in node.body
        )
        if table_kw or tablename:
            yield node


def class_attributes(node: ast.ClassDef) -> Iterator[tuple[str, ast.stmt]]:
    """``(name, statement)`` for each attribute a class body assigns."""
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            yield stmt.target.id, stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    yield target.id, stmt
