"""The one-shot reply format: every file of the project in one model reply.

The canonical format (documented for models in ``docs/reply-format.md`` and in the one-shot
system prompt) is a Markdown heading naming the file, followed by a fenced block holding
its whole content::

    ### src/app/main.py
    ```python
    from fastapi import FastAPI
    ```

The parser is tolerant of the variants models actually produce:

* any heading level (``#`` to ``######``), a bold or backticked path, ``File: path``,
  ``path:`` or ``**path**`` on the line before the fence (blank lines in between allowed);
* the path in the fence's info string (```` ```python title="app/main.py" ````,
  ```` ```app/main.py ````, ```` ```python:app/main.py ````);
* ``<file path="...">...</file>`` elements, with or without a fence inside;
* a first line in the block that is a comment naming the file (``# app/main.py``);
* fences of three or more backticks or tildes; a longer fence holds a file that itself
  contains ```` ``` ```` lines, and inside a three-backtick block a nested
  ```` ```lang ```` ... ```` ``` ```` pair (a README's example) is kept as content.

Prose between files is ignored. Failures are reported precisely, with the reply's line
number: a block without a path, an unclosed block (a truncated reply), an unsafe path, a
duplicate path. A reply that yields no file at all raises :class:`ReplyFormatError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from harness.errors import HarnessError
from harness.fences import closes, open_fence
from harness.solvers.oneshot.reply_paths import (
    check_path,
    path_from_comment,
    path_from_header,
    path_from_info,
)
from harness.solvers.outcome import ReplyProblem, Severity

#: Largest file accepted from a reply.
MAX_FILE_BYTES = 512 * 1024
#: Non-blank lines above a fence searched for the file's heading.
HEADER_LOOKBACK = 3
_FILE_OPEN = re.compile(
    r"""^\s*<file\s+(?:path|name|filename)\s*=\s*["'](?P<path>[^"']+)["']\s*/?>(?P<rest>.*)$""",
    re.IGNORECASE,
)
_FILE_CLOSE = re.compile(r"^\s*</file>\s*$", re.IGNORECASE)


class ParsedReply(BaseModel):
    """The files read from a one-shot reply, and every problem met on the way.

    Attributes:
        files: Relative POSIX path to file content, in the reply's order.
        problems: Errors (content lost) and warnings, in reply order.
        style: The format variants that were recognised (``heading``, ``info``,
            ``xml``, ``comment``).
    """

    model_config = ConfigDict(extra="forbid")

    files: dict[str, str]
    problems: list[ReplyProblem]
    style: list[str]

    @property
    def errors(self) -> list[ReplyProblem]:
        """The problems that lost content."""
        return [p for p in self.problems if p.severity == "error"]


class ReplyFormatError(HarnessError):
    """A one-shot reply from which no file could be read.

    Attributes:
        problems: Everything the parser found wrong, with line numbers.
    """

    def __init__(self, summary: str, problems: list[ReplyProblem]) -> None:
        """Name the failure and keep the detailed problems.

        Args:
            summary: One line saying why no file was read.
            problems: The detailed problems.
        """
        details = "; ".join(str(p) for p in problems[:5])
        super().__init__(f"{summary}{': ' + details if details else ''}")
        self.summary = summary
        self.problems = problems


@dataclass
class _Block:
    start: int  # 1-based line of the opening fence or <file>
    path: str | None
    origin: str
    lines: list[str] = field(default_factory=list)
    closed: bool = False


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.blocks: list[_Block] = []
        self.problems: list[ReplyProblem] = []

    def problem(self, line: int | None, severity: Severity, message: str) -> None:
        self.problems.append(
            ReplyProblem(line=line, severity=severity, message=message)
        )

    def header_before(self, index: int) -> str | None:
        """The path on a non-blank line just before ``index`` (a few lines up, no fence)."""
        seen = 0
        for back in range(index - 1, -1, -1):
            line = self.lines[back]
            if not line.strip():
                continue
            if open_fence(line, max_indent=3) or _FILE_CLOSE.match(line):
                return None
            found = path_from_header(line)
            seen += 1
            if found is not None or seen >= HEADER_LOOKBACK:
                return found
        return None

    def read_fence(self, index: int, fence: str) -> tuple[list[str], int, bool]:
        """Lines of a fenced block opened at ``index``; returns (lines, next index, closed)."""
        body: list[str] = []
        depth = 0
        cursor = index + 1
        nested_ok = len(fence) == 3 and fence[0] == "`"
        while cursor < len(self.lines):
            line = self.lines[cursor]
            opener = open_fence(line, max_indent=3)
            if closes(line, fence):
                if depth == 0:
                    return body, cursor + 1, True
                depth -= 1
            elif (
                nested_ok
                and opener is not None
                and opener.group("fence") == fence
                and opener.group("info").strip()
            ):
                depth += 1
            body.append(line)
            cursor += 1
        return body, cursor, False

    def read_element(self, index: int, path: str, rest: str) -> int:
        block = _Block(start=index + 1, path=path, origin="xml")
        cursor = index + 1
        inline_close = re.search(r"</file>\s*$", rest, re.IGNORECASE)
        if rest.strip() and inline_close:
            block.lines = [rest[: inline_close.start()]]
            block.closed = True
            self.blocks.append(block)
            return cursor
        if rest.strip():
            block.lines.append(rest)
        while cursor < len(self.lines):
            if _FILE_CLOSE.match(self.lines[cursor]):
                block.closed = True
                cursor += 1
                break
            block.lines.append(self.lines[cursor])
            cursor += 1
        block.lines = _unwrap_fence(block.lines)
        self.blocks.append(block)
        return cursor

    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            element = _FILE_OPEN.match(line)
            if element is not None:
                index = self.read_element(
                    index, element.group("path"), element.group("rest")
                )
                continue
            opener = open_fence(line, max_indent=3)
            if opener is None:
                index += 1
                continue
            fence = opener.group("fence")
            info = opener.group("info")
            body, after, closed = self.read_fence(index, fence)
            path = path_from_info(info)
            origin = "info"
            if path is None:
                path = self.header_before(index)
                origin = "heading"
            if path is None and body:
                path = path_from_comment(body[0])
                origin = "comment"
            block = _Block(
                start=index + 1, path=path, origin=origin, lines=body, closed=closed
            )
            self.blocks.append(block)
            index = after


def _unwrap_fence(lines: list[str]) -> list[str]:
    """Strip one fenced block wrapping the whole content of a ``<file>`` element."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if first is None or last is None or first == last:
        return lines
    opener = open_fence(lines[first], max_indent=3)
    if opener is None or not closes(lines[last], opener.group("fence")):
        return lines
    return lines[first + 1 : last]


def _content(lines: list[str]) -> str:
    text = "\n".join(lines)
    return text if text.endswith("\n") or not text else text + "\n"


def parse_reply(text: str) -> ParsedReply:
    """Read the project's files from a one-shot reply.

    Args:
        text: The model's whole reply.

    Returns:
        The files and the problems met (errors lost content, warnings did not).

    Raises:
        ReplyFormatError: When not one file could be read; its ``problems`` say why,
            with line numbers.
    """
    parser = _Parser(text)
    parser.run()
    files: dict[str, str] = {}
    first_line: dict[str, int] = {}
    styles: list[str] = []
    unnamed = 0
    for block in parser.blocks:
        if block.path is None:
            unnamed += 1
            parser.problem(
                block.start,
                "warning",
                "fenced block has no file path and was ignored "
                "(put `### path/to/file.py` on the line before the fence)",
            )
            continue
        path, reason = check_path(block.path)
        if path is None:
            parser.problem(block.start, "error", f"{reason}; the block was dropped")
            continue
        if not block.closed:
            what = "</file>" if block.origin == "xml" else "closing fence"
            parser.problem(
                block.start,
                "error",
                f"the block for {path} is never closed (no {what} before the end "
                "of the reply: truncated?); the file was dropped",
            )
            continue
        content = _content(block.lines)
        if len(content.encode()) > MAX_FILE_BYTES:
            parser.problem(
                block.start,
                "error",
                f"{path} is larger than {MAX_FILE_BYTES // 1024} KiB; the file was dropped",
            )
            continue
        if path in files:
            parser.problem(
                block.start,
                "warning",
                f"{path} appears again (first at line {first_line[path]}); "
                "the later content is kept",
            )
        files[path] = content
        first_line.setdefault(path, block.start)
        if block.origin not in styles:
            styles.append(block.origin)
    problems = sorted(parser.problems, key=lambda p: p.line or 0)
    if not files:
        if not parser.blocks:
            summary = (
                "the reply holds no files: expected each file as a `### path` heading "
                "followed by a fenced code block (see docs/reply-format.md)"
            )
        elif unnamed == len(parser.blocks):
            summary = (
                f"the reply's {unnamed} fenced block(s) name no file: put "
                "`### path/to/file.py` on the line before each fence"
            )
        else:
            summary = "no file in the reply could be used"
        raise ReplyFormatError(summary, problems)
    return ParsedReply(files=files, problems=problems, style=styles)


__all__ = [
    "MAX_FILE_BYTES",
    "ParsedReply",
    "ReplyFormatError",
    "ReplyProblem",
    "check_path",
    "parse_reply",
    "path_from_header",
]
