"""Tests that pytest never collected because their module or folder was skipped.

``pytest.skip(..., allow_module_level=True)``, a module-level ``pytest.importorskip`` or a
conftest that skips its folder stops collection there: pytest reports one skipped module,
not its tests. The project's own tests count each of them as not passed, so they are named
from the files: every ``test*`` function, and every ``test*`` method of a ``Test*`` class,
of the skipped module (or of every test module under the skipped folder); a module where
none is found still counts as one test.
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Callable
from pathlib import PurePosixPath

_TEST_FILES = ("test_*.py", "*_test.py")


def _tests_in(rel: str, data: bytes | None) -> list[str]:
    """The test ids pytest would give the functions of one module (by default names)."""
    try:
        tree = ast.parse(data or b"")
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test"):
                found.append(f"{rel}::{node.name}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found += [
                f"{rel}::{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name.startswith("test")
            ]
    return found


def skipped_tests(
    where: str, files: list[str], read: Callable[[str], bytes | None]
) -> list[str]:
    """The test ids hidden by a skipped collector (a module or a folder).

    Args:
        where: The skipped collector's id (``tests/test_x.py`` or ``tests``).
        files: The project's files, relative to it.
        read: Reads one of them (size-capped, never following links).

    Returns:
        One id per test found, or ``where`` itself when none is found.
    """
    if where in files:
        modules = [where]
    else:
        prefix = f"{where.rstrip('/')}/" if where not in {"", "."} else ""
        modules = [
            rel
            for rel in files
            if rel.startswith(prefix)
            and any(
                fnmatch.fnmatch(PurePosixPath(rel).name, pattern)
                for pattern in _TEST_FILES
            )
        ]
    found = [test for rel in sorted(modules) for test in _tests_in(rel, read(rel))]
    return found or [where or "."]


__all__ = ["skipped_tests"]
