"""Projects that switch a judge off from inside their own code, and their honest twins.

Each case is the clean mini project plus one file (or test) whose code a check would charge,
written twice: ``rigged`` carries the inline switch (``# ruff: noqa``, ``# mypy:
ignore-errors``, ``@pytest.mark.skip``...), ``honest`` is the same code without it. Before
the harness refused these switches, each rigged project scored higher than its twin on the
check named; now both score the same (``tests/scoring/test_suppressions.py``).
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.scoring.test_tamper import TYPE_ERRORS

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini" / "project"

#: Lint-dirty code: unused imports, untyped and undocumented defs, print, unused argument.
DIRTY = """
import os
import sys


def shout(word, times, unused):
    print(word * times)
"""
#: Unsorted imports (I001) and nothing else.
UNSORTED = """
\"\"\"Imports out of order.\"\"\"

import sys
import os

__all__ = ["os", "sys"]
"""
#: Code ``ruff format`` would change.
UGLY = """
\"\"\"Badly formatted.\"\"\"

VALUES = { 'a':1,
        'b' :2 }


def total( ) -> int :
    \"\"\"Add up.\"\"\"
    return sum( VALUES.values( ) )
"""
#: Five type errors (assignment x4, operator) in one function.
MISTYPED = '"""Type errors."""\n\n\n' + textwrap.dedent(TYPE_ERRORS).lstrip("\n")
#: Untyped definitions (no-untyped-def, no-untyped-call under --strict).
UNTYPED = """
\"\"\"Untyped code.\"\"\"


def double(value):
    \"\"\"Double it.\"\"\"
    return value * 2


def quadruple(value):
    \"\"\"Double it twice.\"\"\"
    return double(double(value))
"""
#: Untyped code that only runs when TYPE_CHECKING is false (mypy never looks at it).
HIDDEN = """
\"\"\"Helpers.\"\"\"

from typing import TYPE_CHECKING

if not TYPE_CHECKING:

    def halve(value):
        \"\"\"Halve it.\"\"\"
        total: int = "zero"
        return value / 2
"""
#: A test that fails.
FAILING = """


async def test_wrong() -> None:
    assert 1 + 1 == 3
"""


@dataclass(frozen=True)
class Case:
    """One inline switch.

    Attributes:
        name: The case's id (and the suppression it tries).
        check: The check it games.
        path: The file written (relative to the project).
        rigged: The file's text with the switch.
        honest: The same text without it.
        kind: The ``suppression:<kind>`` finding expected now.
        line: The line of the switch in ``path`` (1-based).
        append: Whether the text is appended to an existing file of the mini project.
    """

    name: str
    check: str
    path: str
    rigged: str
    honest: str
    kind: str
    line: int
    append: bool = False

    def build(self, root: Path, *, rigged: bool) -> Path:
        """Write the mini project with this case's file into ``root``; return it."""
        shutil.copytree(MINI, root)
        text = self.rigged if rigged else self.honest
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.append:
            with target.open("a", encoding="utf-8") as stream:
                stream.write(text)
        else:
            target.write_text(text, encoding="utf-8")
        return root


def _text(body: str) -> str:
    return textwrap.dedent(body).lstrip("\n")


def _file(name: str, check: str, path: str, switch: str, body: str, kind: str) -> Case:
    """A new file whose first line is ``switch``, and its twin without that line."""
    return Case(name, check, path, f"{switch}\n{_text(body)}", _text(body), kind, 1)


def _in_line(
    name: str, check: str, path: str, body: str, marked: str, switch: str, kind: str
) -> Case:
    """A file where one line, ``marked``, carries ``switch`` at its end."""
    honest = _text(body)
    lines = honest.splitlines()
    line = lines.index(marked) + 1
    lines[line - 1] = f"{marked}  {switch}"
    return Case(name, check, path, "\n".join(lines) + "\n", honest, kind, line)


def _region(
    name: str,
    check: str,
    path: str,
    body: str,
    start: str,
    switches: tuple[str, str],
    kind: str,
) -> Case:
    """A file where the lines from ``start`` on sit between two own-line switches."""
    honest = _text(body)
    lines = honest.splitlines()
    at = lines.index(start)
    rigged = [*lines[:at], switches[0], *lines[at:], switches[1]]
    return Case(name, check, path, "\n".join(rigged) + "\n", honest, kind, at + 1)


def _test(name: str, switch: str, kind: str, *, where: str = "above") -> Case:
    """A test module with one failing test, and its twin where ``switch`` disables it.

    ``where``: ``above`` the test (a marker), ``inside`` it (a call) or in the ``module``.
    """
    honest = "import pytest\n\n\ndef test_wrong() -> None:\n    assert 1 + 1 == 3\n"
    if where == "module":
        rigged = honest.replace("\n\n\ndef", f"\n\n{switch}\n\n\ndef")
    elif where == "inside":
        rigged = honest.replace("\n    assert", f"\n    {switch}\n    assert")
    else:
        rigged = honest.replace("\ndef", f"\n{switch}\ndef")
    return Case(name, "own_tests", "tests/test_extra.py", rigged, honest, kind, 0)


RUFF = "src/mini/tools.py"
CASES: list[Case] = [
    # The ruff check: exemptions wider than one line, or naming no rule.
    _file("ruff-noqa-file", "ruff", RUFF, "# ruff: noqa", DIRTY, "file-noqa"),
    _file(
        "ruff-noqa-file-codes",
        "ruff",
        RUFF,
        "# ruff: noqa: F401, ANN001, ANN201, D103, T201, ARG001",
        DIRTY,
        "file-noqa",
    ),
    _file("flake8-noqa-file", "ruff", RUFF, "# flake8: noqa", DIRTY, "file-noqa"),
    _file(
        "ruff-file-ignore",
        "ruff",
        RUFF,
        "# ruff: file-ignore[F401, ANN001, ANN201, D103, T201, ARG001]",
        DIRTY,
        "file-noqa",
    ),
    _region(
        "ruff-disable-range",
        "ruff",
        RUFF,
        DIRTY,
        "def shout(word, times, unused):",
        (
            "# ruff: disable[ANN001, ANN201, D103, T201, ARG001]",
            "# ruff: enable[ANN001, ANN201, D103, T201, ARG001]",
        ),
        "range-noqa",
    ),
    _in_line(
        "blanket-noqa",
        "ruff",
        RUFF,
        DIRTY,
        "def shout(word, times, unused):",
        "# noqa",
        "blanket-noqa",
    ),
    _file(
        "isort-skip-file",
        "ruff",
        RUFF,
        "# isort: skip_file",
        UNSORTED,
        "isort-skip-file",
    ),
    _region(
        "isort-off",
        "ruff",
        RUFF,
        UNSORTED,
        "import sys",
        ("# isort: off", "# isort: on"),
        "isort-off",
    ),
    # format: regions left unformatted.
    _file("fmt-off", "format", "src/mini/table.py", "# fmt: off", UGLY, "fmt-off"),
    _file(
        "yapf-disable",
        "format",
        "src/mini/table.py",
        "# yapf: disable",
        UGLY,
        "fmt-off",
    ),
    # mypy: inline configuration and module-wide ignores.
    _file(
        "mypy-ignore-errors",
        "mypy",
        "src/mini/count.py",
        "# mypy: ignore-errors",
        MISTYPED,
        "mypy-config",
    ),
    _file(
        "mypy-disable-error-code",
        "mypy",
        "src/mini/count.py",
        '# mypy: disable-error-code="assignment, operator"',
        MISTYPED,
        "mypy-config",
    ),
    _file(
        "mypy-allow-untyped",
        "mypy",
        "src/mini/double.py",
        "# mypy: allow-untyped-defs, allow-untyped-calls",
        UNTYPED,
        "mypy-config",
    ),
    _file(
        "type-ignore-module",
        "mypy",
        "src/mini/count.py",
        "# type: ignore",
        MISTYPED,
        "type-ignore-module",
    ),
    _file(
        "type-ignore-module-codes",
        "mypy",
        "src/mini/count.py",
        "# type: ignore[assignment, operator]",
        MISTYPED,
        "type-ignore-module",
    ),
    _in_line(
        "bare-type-ignore",
        "mypy",
        "src/mini/count.py",
        MISTYPED.replace(
            "return str(total) + label + str(flag) + str(size)",
            "return str(total) + label + str(flag) + str(size) + 1 + None",
        ),
        "    return str(total) + label + str(flag) + str(size) + 1 + None",
        "# type: ignore",
        "blanket-type-ignore",
    ),
]

CASES += [
    # own tests: a failing test turned into a non-failure.
    _test("skip-marker", '@pytest.mark.skip(reason="flaky")', "test-skipped"),
    _test("skipif-true", '@pytest.mark.skipif(True, reason="later")', "test-skipped"),
    _test("xfail-marker", "@pytest.mark.xfail", "test-xfailed"),
    _test("xfail-call", 'pytest.xfail("known")', "test-xfailed", where="inside"),
    _test("skip-call", 'pytest.skip("later")', "test-skipped", where="inside"),
    _test(
        "module-pytestmark",
        "pytestmark = pytest.mark.skip",
        "test-skipped",
        where="module",
    ),
    _test(
        "module-skip",
        'pytest.skip("later", allow_module_level=True)',
        "test-skipped",
        where="module",
    ),
    _test(
        "importorskip-version",
        'pytest.importorskip("fastapi", minversion="999")',
        "test-skipped",
        where="module",
    ),
]

CASES.append(
    Case(
        "no-type-check",
        "mypy",
        "src/mini/double.py",
        _text(UNTYPED).replace(
            '"""Untyped code."""\n\n\n',
            '"""Untyped code."""\n\nfrom typing import no_type_check\n\n\n@no_type_check\n',
        ),
        _text(UNTYPED).replace(
            '"""Untyped code."""\n\n\n',
            '"""Untyped code."""\n\nfrom typing import no_type_check\n\n\n# no type check\n',
        ),
        "no-type-check",
        6,
    )
)

CASES.append(
    Case(
        "type-checking-branch",
        "mypy",
        "src/mini/helpers.py",
        _text(HIDDEN),
        _text(HIDDEN).replace("if not TYPE_CHECKING:", "if __debug__:"),
        "unchecked-branch",
        5,
    )
)
