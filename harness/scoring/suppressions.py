"""Inline switches that turn a judge off from inside the code: found, reported, not obeyed.

The harness never obeys a project's tool configuration; the same goes for configuration
written in the code itself. The rule: **an exemption scoped to one line (one statement) and
naming what it exempts is honoured; one that covers a range, a file, or names nothing is
not**, and the check scores as if it were absent. Each one refused is a finding
``suppression:<kind>`` (severity ``warning``, not counted itself) naming the file and line.

Honoured, as normal practice: ``# noqa: S105`` and ``# ruff: ignore[S105]`` on one line,
``# isort: skip`` on one import, ``# fmt: skip`` on one statement, ``# type: ignore[code]``
on one line, ``if TYPE_CHECKING:``.

Refused (kind: what):

* ``file-noqa`` (ruff): ``# ruff: noqa``, ``# ruff: noqa: CODES``, ``# flake8: noqa``,
  ``# ruff: file-ignore[CODES]``; ``range-noqa``: ``# ruff: disable[CODES]``;
  ``blanket-noqa``: a line's ``# noqa`` without codes (ruff's PGH004 still charges it).
  ruff runs with ``--ignore-noqa``; a finding counts unless its line names its code.
* ``isort-skip-file``, ``isort-off`` (ruff): ``# isort: skip_file``, ``# isort: off``.
* ``fmt-off`` (format): ``# fmt: off`` and ``# yapf: disable`` regions.
* ``mypy-config`` (mypy): inline configuration, ``# mypy: ignore-errors``,
  ``# mypy: disable-error-code=...``, ``# mypy: allow-untyped-defs``...;
  ``type-ignore-module``: a ``# type: ignore[...]`` before the first statement (it ignores
  the whole module); ``blanket-type-ignore``: ``# type: ignore`` without codes;
  ``no-type-check``: the ``@no_type_check`` decorator; ``unchecked-branch``: code that
  only runs when ``TYPE_CHECKING`` is false (:mod:`harness.scoring.unchecked`).

Each tool reads a copy of the project in which the switches it would obey are made inert,
lines kept: a comment's characters but ``#`` and spaces become ``x``, the ``@`` of
``@no_type_check`` a ``#``, and ``TYPE_CHECKING`` in a test ``bool(TYPE_CHECKING)``. The
patterns are supersets of what the pinned tools parse, so no spelling slips through.
"""

from __future__ import annotations

import io
import re
import shutil
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from harness.project import read_bytes_safely
from harness.scoring.results import Finding
from harness.scoring.unchecked import find_unchecked

SwitchKind = Literal[
    "file-noqa",
    "range-noqa",
    "blanket-noqa",
    "isort-skip-file",
    "isort-off",
    "fmt-off",
    "mypy-config",
    "type-ignore-module",
    "blanket-type-ignore",
    "no-type-check",
    "unchecked-branch",
]
Tool = Literal["ruff", "format", "mypy"]
#: The prefix of every refused switch's finding code.
SUPPRESSION = "suppression:"

_TOOL: dict[SwitchKind, Tool] = {
    "file-noqa": "ruff",
    "range-noqa": "ruff",
    "blanket-noqa": "ruff",
    "isort-skip-file": "ruff",
    "isort-off": "ruff",
    "fmt-off": "format",
    "mypy-config": "mypy",
    "type-ignore-module": "mypy",
    "blanket-type-ignore": "mypy",
    "no-type-check": "mypy",
    "unchecked-branch": "mypy",
}
#: Switches ruff's ``--ignore-noqa`` already refuses: the copy keeps them as written.
_IGNORED_BY_FLAG = frozenset({"file-noqa", "range-noqa", "blanket-noqa"})
_WHY: dict[SwitchKind, str] = {
    "file-noqa": "exempts the whole file from ruff rules",
    "range-noqa": "exempts a range of lines from ruff rules",
    "blanket-noqa": "exempts its line from every ruff rule (name the rule: `# noqa: CODE`)",
    "isort-skip-file": "exempts the whole file from import sorting",
    "isort-off": "exempts a range of lines from import sorting",
    "fmt-off": "leaves a region unformatted (`# fmt: skip` on one statement is obeyed)",
    "mypy-config": "configures mypy from the code (the harness's configuration applies)",
    "type-ignore-module": "before the first statement, ignores every error of the module",
    "blanket-type-ignore": "ignores every error of its line (name the code: "
    "`# type: ignore[code]`)",
    "no-type-check": "turns type checking off for a whole function or class",
    "unchecked-branch": "hides the code that runs (TYPE_CHECKING is false) from mypy",
}

_I = re.IGNORECASE
_FILE_NOQA = re.compile(r"#\s*(?:ruff|flake8)\s*:\s*(?:noqa\b|file-ignore\b)", _I)
_RANGE_NOQA = re.compile(r"#\s*ruff\s*:\s*disable\b", _I)
#: A line's noqa comment; with a colon and codes it is targeted (codes as ruff spells them).
_NOQA = re.compile(
    r"#\s*(?i:noqa)\b(?P<colon>\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)?)?"
)
_RUFF_IGNORE = re.compile(r"#\s*ruff\s*:\s*ignore\s*\[(?P<codes>[^\]]*)\]", _I)
_CODE = re.compile(r"[A-Z]+[0-9]+")
_ISORT_SKIP_FILE = re.compile(r"isort\s*:\s*skip_file", _I)
_ISORT_OFF = re.compile(r"#\s*(?:ruff\s*:\s*)?isort\s*:\s*off\s*$", _I)
_FMT_OFF = re.compile(r"#\s*(?:fmt\s*:\s*off|yapf\s*:\s*disable)\s*$", _I)
_MYPY_CONFIG = re.compile(r"^[ \t]*#[ \t]*mypy[ \t]*:")
_TYPE_IGNORE = re.compile(r"type\s*:\s*ignore")
_BARE_TYPE_IGNORE = re.compile(r"type\s*:\s*ignore(?!\s*\[)(?!\w)")
_LINE_END = re.compile(r"(\r\n|\r|\n)")


@dataclass(frozen=True)
class Switch:
    """One inline switch the harness refuses.

    Attributes:
        path: The file, relative to the project.
        line: The 1-based line of the comment (or decorator, or test).
        column: The 0-based column where it starts (its ``#`` or ``@``).
        kind: What it switches off.
        text: The comment or decorator as written.
        end: For ``unchecked-branch``: the line and column just after the name.
    """

    path: str
    line: int
    column: int
    kind: SwitchKind
    text: str
    end: tuple[int, int] = (0, 0)

    @property
    def tool(self) -> Tool:
        """The tool that would obey it."""
        return _TOOL[self.kind]

    def finding(self) -> Finding:
        """The ``suppression:<kind>`` finding that reports it."""
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return Finding(
            code=f"{SUPPRESSION}{self.kind}",
            message=f"`{shown}` {_WHY[self.kind]}: not obeyed, scored as if absent",
            path=self.path,
            line=self.line,
            severity="warning",
        )


@dataclass
class FileComments:
    """The comments of one file, and the switches among them.

    Attributes:
        by_line: Each line's comments (text from ``#``), for line-level exemptions.
        switches: Every switch the harness refuses, for every tool.
    """

    by_line: dict[int, list[str]] = field(default_factory=dict)
    switches: list[Switch] = field(default_factory=list)


def _comments(text: str) -> tuple[list[tuple[int, int, str]], int]:
    """``(line, column, text)`` of each comment, and the line of the first statement.

    Python's tokenizer finds them; a file it cannot read (a syntax error) is scanned line
    by line from each ``#``, which can only find more.
    """
    found: list[tuple[int, int, str]] = []
    first = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found.append((token.start[0], token.start[1], token.string))
            elif not first and token.type not in {
                tokenize.NL,
                tokenize.NEWLINE,
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.ENDMARKER,
            }:
                first = token.start[0]
    except (tokenize.TokenError, SyntaxError):
        found, first = [], 0
        for number, line in enumerate(text.split("\n"), start=1):
            if (at := line.find("#")) >= 0:
                found.append((number, at, line[at:]))
            if not first and line.strip() and not line.lstrip().startswith("#"):
                first = number
    return found, first or text.count("\n") + 2


def _comment_kinds(comment: str, *, header: bool) -> list[SwitchKind]:
    """The refused switches a comment holds, one per tool at most.

    Args:
        comment: The comment, from its ``#``.
        header: Whether it comes before the module's first statement.
    """
    kinds: list[SwitchKind] = []
    tail = comment.rstrip()
    noqa = _NOQA.search(comment)
    if _FILE_NOQA.search(comment):
        kinds.append("file-noqa")
    elif _RANGE_NOQA.search(comment):
        kinds.append("range-noqa")
    elif noqa and not noqa["colon"]:
        kinds.append("blanket-noqa")
    elif _ISORT_SKIP_FILE.search(comment):
        kinds.append("isort-skip-file")
    elif _ISORT_OFF.search(tail):
        kinds.append("isort-off")
    if _FMT_OFF.search(tail):
        kinds.append("fmt-off")
    if header and _TYPE_IGNORE.search(comment):
        kinds.append("type-ignore-module")
    elif _BARE_TYPE_IGNORE.search(comment):
        kinds.append("blanket-type-ignore")
    return kinds


def scan_file(rel: str, text: str) -> FileComments:
    """Find every comment of a file, and the switches the harness refuses in it.

    Args:
        rel: The file's path, relative to the project.
        text: Its text (CR LF and a lone CR end a line too, as for the tools).

    Returns:
        Its comments by line and its refused switches, sorted by line.
    """
    text = _LINE_END.sub("\n", text)
    scanned = FileComments()
    comments, first = _comments(text)
    for number, column, comment in comments:
        scanned.by_line.setdefault(number, []).append(comment)
        scanned.switches += [
            Switch(rel, number, column, kind, comment.strip())
            for kind in _comment_kinds(comment, header=number < first)
        ]
    # mypy reads its inline configuration from raw lines (strings too), not comments.
    for number, line in enumerate(text.split("\n"), start=1):
        if match := _MYPY_CONFIG.match(line):
            at = match.group().index("#")
            scanned.switches = [
                s
                for s in scanned.switches
                if not (s.line == number and s.tool == "mypy")
            ]
            scanned.switches.append(
                Switch(rel, number, at, "mypy-config", line[at:].strip())
            )
    scanned.switches += [
        Switch(rel, u.line, u.column, u.kind, u.text, (u.end_line, u.end_column))
        for u in find_unchecked(text)
    ]
    scanned.switches.sort(key=lambda s: (s.line, s.column))
    return scanned


def noqa_codes(comments: Iterable[str]) -> set[str]:
    """The rule codes a line's comments exempt it from (``# noqa: X``, ``# ruff: ignore[X]``)."""
    codes: set[str] = set()
    for comment in comments:
        for match in _NOQA.finditer(comment):
            codes.update(_CODE.findall(match["codes"] or ""))
        for match in _RUFF_IGNORE.finditer(comment):
            codes.update(
                word
                for word in re.split(r"[\s,]+", match["codes"])
                if _CODE.fullmatch(word)
            )
    return codes


def neutralise(text: str, switches: Iterable[Switch]) -> str:
    """``text`` with each switch made inert, every line (and line end) kept.

    A comment keeps its ``#`` and its spaces, every other character becomes ``x`` (columns
    kept too); a decorator's ``@`` becomes ``#`` (the decorator a comment); a name in a
    test that mypy takes as always true is wrapped in ``bool(...)``, which it cannot.
    """
    parts = _LINE_END.split(text)
    lines, ends = parts[0::2], [*parts[1::2], ""]
    for switch in sorted(switches, key=lambda s: (s.line, s.column), reverse=True):
        at, line = switch.column, lines[switch.line - 1]
        if switch.kind == "no-type-check":
            lines[switch.line - 1] = f"{line[:at]}#{line[at + 1 :]}"
        elif switch.kind == "unchecked-branch":
            end_line, end_column = switch.end
            last = lines[end_line - 1]
            lines[end_line - 1] = f"{last[:end_column]}){last[end_column:]}"
            line = lines[switch.line - 1]
            lines[switch.line - 1] = f"{line[:at]}bool({line[at:]}"
        else:
            lines[switch.line - 1] = (
                line[:at] + "#" + re.sub(r"\S", "x", line[at + 1 :])
            )
    return "".join(line + end for line, end in zip(lines, ends, strict=True))


@dataclass
class JudgedCopy:
    """The project as one tool reads it: its refused switches made inert.

    Attributes:
        root: The folder the tool reads (the pristine copy when nothing was changed).
        switches: The tool's refused switches, sorted by file and line.
        comments: Each Python file's comments by line (ruff's line-level exemptions).
    """

    root: Path
    switches: list[Switch]
    comments: dict[str, dict[int, list[str]]]

    def findings(self) -> list[Finding]:
        """One ``suppression:<kind>`` finding per refused switch."""
        return [switch.finding() for switch in self.switches]


def judged_copy(
    pristine: Path, python_files: list[str], tool: Tool, scratch: Path
) -> JudgedCopy:
    """Prepare the copy of the project that ``tool`` judges.

    Args:
        pristine: The harness's pristine copy of the project (never changed).
        python_files: Its Python files.
        tool: ``ruff``, ``format`` or ``mypy``.
        scratch: A harness-owned folder that does not exist yet, for the copy.

    Returns:
        The copy (``pristine`` itself when no file holds a switch to make inert).
    """
    switches: list[Switch] = []
    comments: dict[str, dict[int, list[str]]] = {}
    rewritten: dict[str, str] = {}
    for rel in python_files:
        data = read_bytes_safely(pristine, rel)
        if data is None:
            continue
        text = data.decode("utf-8", "surrogateescape")
        scanned = scan_file(rel, text)
        comments[rel] = scanned.by_line
        mine = [s for s in scanned.switches if s.tool == tool]
        switches += mine
        inert = [s for s in mine if s.kind not in _IGNORED_BY_FLAG]
        if inert:
            rewritten[rel] = neutralise(text, inert)
    root = pristine
    if rewritten:
        shutil.copytree(pristine, scratch)
        root = scratch
        for rel, text in rewritten.items():
            (scratch / rel).write_bytes(text.encode("utf-8", "surrogateescape"))
    return JudgedCopy(root=root, switches=switches, comments=comments)


def suppression_note(switches: list[Switch]) -> str | None:
    """One line for a check's reason: how many switches were refused, and the first."""
    if not switches:
        return None
    first = switches[0]
    more = f" (+{len(switches) - 1} more)" if len(switches) > 1 else ""
    return (
        f"{len(switches)} inline suppression(s) not obeyed, scored as if absent: "
        f"`{first.text}` at {first.path}:{first.line}{more}"
    )


__all__ = [
    "SUPPRESSION",
    "FileComments",
    "JudgedCopy",
    "Switch",
    "SwitchKind",
    "judged_copy",
    "neutralise",
    "noqa_codes",
    "scan_file",
    "suppression_note",
]
