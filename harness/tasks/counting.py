"""Count a task's acceptance tests without running pytest (for ``harness tasks list``).

``harness tasks validate`` collects the tests in the sandbox, which is exact but takes a
second per task; a listing of thirty tasks reads the source instead. Test functions and
``Test*`` classes' methods are counted, each multiplied by the number of cases of its
``@pytest.mark.parametrize`` decorators when their values are written out as a list or
tuple. When a case count cannot be read from the source, the count is unknown (None).
"""

from __future__ import annotations

import ast
from pathlib import Path


def _cases(decorator: ast.expr) -> int | None:
    """How many cases one decorator makes: 1 if it does not parametrize."""
    if not isinstance(decorator, ast.Call):
        return 1
    function = decorator.func
    if not (isinstance(function, ast.Attribute) and function.attr == "parametrize"):
        return 1
    values: ast.expr | None = decorator.args[1] if len(decorator.args) > 1 else None
    for keyword in decorator.keywords:
        if keyword.arg == "argvalues":
            values = keyword.value
    if isinstance(values, ast.List | ast.Tuple):
        return len(values.elts)
    return None


def _function_count(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int | None:
    total = 1
    for decorator in node.decorator_list:
        cases = _cases(decorator)
        if cases is None:
            return None
        total *= cases
    return total


def _module_count(tree: ast.Module) -> int | None:
    functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append(node)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            functions += [
                item
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    total = 0
    for function in functions:
        if not function.name.startswith("test"):
            continue
        count = _function_count(function)
        if count is None:
            return None
        total += count
    return total


def count_tests(folder: Path) -> int | None:
    """The number of test cases in ``folder``'s ``test_*.py`` files, None if unknowable.

    Args:
        folder: A task's ``acceptance/`` folder.
    """
    if not folder.is_dir():
        return 0
    total = 0
    for path in sorted(folder.rglob("test_*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            return None
        count = _module_count(tree)
        if count is None:
            return None
        total += count
    return total
