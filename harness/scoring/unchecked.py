"""Code that mypy would never check although it runs: found from the syntax tree.

Two forms, both of which :mod:`harness.scoring.suppressions` refuses:

* ``@no_type_check`` (by name, as ``typing.no_type_check`` or an import alias) on a
  function or class: mypy skips its body and treats its signature as ``Any``;
* a branch that only runs when ``TYPE_CHECKING`` (or ``MYPY``) is false: the ``else`` of
  ``if TYPE_CHECKING:``, the body of ``if not TYPE_CHECKING:`` and any other test naming
  it. mypy takes ``TYPE_CHECKING`` as always true and never checks those lines, which are
  the ones that run. A bare ``if TYPE_CHECKING:`` without ``else`` (imports for annotations)
  hides nothing that runs and is left alone.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

_NO_TYPE_CHECK = "no_type_check"
_ALWAYS_TRUE_FOR_MYPY = frozenset({"TYPE_CHECKING", "MYPY"})


@dataclass(frozen=True)
class Unchecked:
    """One construct that hides running code from mypy.

    Attributes:
        kind: ``no-type-check`` (a decorator) or ``unchecked-branch`` (a test naming
            ``TYPE_CHECKING``).
        line: The 1-based line where it starts.
        column: The 0-based character column where it starts (a decorator's ``@``).
        end_line: The line where it ends.
        end_column: The character column just after it.
        text: How it reads (``@no_type_check``, ``if not TYPE_CHECKING``).
    """

    kind: Literal["no-type-check", "unchecked-branch"]
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def _column(lines: list[str], line: int, offset: int) -> int:
    """A character column from the syntax tree's UTF-8 byte offset."""
    return len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", "replace"))


def _named(node: ast.expr, names: set[str] | frozenset[str]) -> str | None:
    """The name a ``Name`` or ``Attribute`` ends with, when it is one of ``names``."""
    if isinstance(node, ast.Name) and node.id in names:
        return node.id
    if isinstance(node, ast.Attribute) and node.attr in names:
        return node.attr
    return None


def _decorators(tree: ast.Module, lines: list[str]) -> list[Unchecked]:
    names = {_NO_TYPE_CHECK} | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name == _NO_TYPE_CHECK and alias.asname
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (name := _named(target, names)) is None:
                continue
            text = lines[decorator.lineno - 1]
            start = _column(lines, decorator.lineno, decorator.col_offset)
            at = text.rfind("@", 0, start + 1)
            found.append(
                Unchecked("no-type-check", decorator.lineno, at, 0, 0, f"@{name}")
            )
    return found


def _branches(tree: ast.Module, lines: list[str]) -> list[Unchecked]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.If | ast.While):
            continue
        if _named(node.test, _ALWAYS_TRUE_FOR_MYPY) and not node.orelse:
            continue  # `if TYPE_CHECKING:` alone: typing-only imports, nothing hidden
        opaque = {  # `bool(TYPE_CHECKING)`: mypy cannot tell its value (checked)
            id(call.args[0])
            for call in ast.walk(node.test)
            if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "bool"
            and len(call.args) == 1
        }
        for part in ast.walk(node.test):
            if (
                not isinstance(part, ast.expr)
                or id(part) in opaque
                or not _named(part, _ALWAYS_TRUE_FOR_MYPY)
            ):
                continue
            if part.end_lineno is None or part.end_col_offset is None:
                continue
            shown = ast.get_source_segment("\n".join(lines), node.test) or "..."
            keyword = "while" if isinstance(node, ast.While) else "if"
            found.append(
                Unchecked(
                    "unchecked-branch",
                    part.lineno,
                    _column(lines, part.lineno, part.col_offset),
                    part.end_lineno,
                    _column(lines, part.end_lineno, part.end_col_offset),
                    f"{keyword} {shown}" + (" ... else" if node.orelse else ""),
                )
            )
    return found


def find_unchecked(text: str) -> list[Unchecked]:
    """Every construct of ``text`` that hides running code from mypy.

    Args:
        text: A Python file, each line ending with a line feed.

    Returns:
        The constructs, or none when the file does not parse (mypy then stops on it).
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    lines = text.split("\n")
    return _decorators(tree, lines) + _branches(tree, lines)


__all__ = ["Unchecked", "find_unchecked"]
