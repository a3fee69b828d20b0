"""Fenced code blocks in a skill's Markdown: find them, and the checks that need no tools.

A block that must stay a fragment says so just before its fence::

    <!-- fragment: shows only the changed lines -->

A block can name the project file it shows, so that other blocks may import it (and
path-based rules apply)::

    <!-- file: src/app/posts/service.py -->

:func:`check_block_text` finds mislabelled fences and Python that does not parse;
:class:`harness.skills.codeblocks.BlockChecker` runs ruff, ruff format and mypy.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from harness.fences import closes, open_fence
from harness.skills.issues import Issue

PYTHON_LANGS = frozenset({"python", "py", "python3", "py3"})
_FRAGMENT = re.compile(
    r"^\s*<!--\s*fragment\b\s*(?::\s*(?P<reason>.*?))?\s*-->\s*$", re.IGNORECASE
)
_FILE = re.compile(r"^\s*<!--\s*file:\s*(?P<path>\S+?)\s*-->\s*$", re.IGNORECASE)
_SAFE_PATH = re.compile(r"^(?:[A-Za-z_][\w-]*/)*[A-Za-z_]\w*\.py$")
_TREE_CHARS = ("├", "└", "│")
_SHELL_START = re.compile(
    r"^\s*(\$ |# |(uv|uvx|pip|pipx|python3?|curl|wget|export|cd|git|docker|alembic|"
    r"pytest|ruff|mypy|fastapi|uvicorn|npm|npx|make|sudo|apt(-get)?|brew|source|echo|mkdir)"
    r"(\s|$))"
)
_HTTP_LINE = re.compile(r"^\s*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/\S*")
_TOML_TABLE = re.compile(r"^\s*\[{1,2}[\w.\-\"' ]+\]{1,2}\s*$")
_TOML_PAIR = re.compile(r"^\s*[\w.\-\"]+\s*=\s*\S")
_TEST_HINTS = re.compile(
    r"^\s*(async\s+)?def test_|@pytest\.fixture|^import pytest", re.M
)


@dataclass(frozen=True)
class CodeBlock:
    """One fenced code block.

    Attributes:
        path: The Markdown file, relative to the skill folder.
        line: The 1-based line of the opening fence.
        lang: The first word of the info string, lower-cased (``python``, ``bash``, ``""``).
        code: The block's content, de-indented to its fence.
        fragment: The reason after ``<!-- fragment: ... -->`` (``""`` without one), or None
            when the block is not marked.
        file: The path given by ``<!-- file: src/app/x.py -->``, where the block is checked.
    """

    path: str
    line: int
    lang: str
    code: str
    fragment: str | None
    file: str | None = None

    @property
    def first_code_line(self) -> int:
        """The file line of the block's first line of code."""
        return self.line + 1

    @property
    def is_python(self) -> bool:
        """Whether the block is labelled as Python."""
        return self.lang in PYTHON_LANGS

    @property
    def looks_like_test(self) -> bool:
        """Whether the block is test code (so the test per-file rules apply)."""
        return bool(_TEST_HINTS.search(self.code))

    def filename(self, number: int) -> str:
        """Where the block is written among the others: its ``file`` marker, else by number.

        Args:
            number: The block's 1-based position among the blocks written together.

        Returns:
            ``src/app/x.py`` (the marker), ``test_block_007.py`` or ``block_007.py``.
        """
        if self.file:
            return self.file
        return f"{'test_' if self.looks_like_test else ''}block_{number:03d}.py"


def _markers_before(lines: list[str], index: int) -> tuple[str | None, str | None]:
    """The fragment reason and the file path of the comment markers just above a fence."""
    fragment: str | None = None
    file: str | None = None
    cursor = index - 1
    while cursor >= 0 and not lines[cursor].strip():
        cursor -= 1
    while cursor >= 0:
        if match := _FRAGMENT.match(lines[cursor]):
            fragment = (match["reason"] or "").strip()
        elif match := _FILE.match(lines[cursor]):
            file = match["path"]
        else:
            break
        cursor -= 1
    return fragment, file


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def extract_blocks(text: str, path: str) -> list[CodeBlock]:
    """Find the fenced code blocks of a Markdown text (CommonMark fences, any indent).

    Args:
        text: The Markdown.
        path: Its path relative to the skill, recorded in each block.

    Returns:
        The blocks in order; an unclosed fence runs to the end of the text.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[CodeBlock] = []
    index = 0
    while index < len(lines):
        match = open_fence(lines[index])
        if match is None:
            index += 1
            continue
        fence, indent = match["fence"], match["indent"]
        info = match["info"].strip()
        lang = info.split()[0].lower().strip("{}.") if info else ""
        end = index + 1
        while end < len(lines) and not closes(lines[end], fence):
            end += 1
        body = [_dedent(line, indent) for line in lines[index + 1 : end]]
        fragment, file = _markers_before(lines, index)
        blocks.append(
            CodeBlock(
                path=path,
                line=index + 1,
                lang=lang,
                code="\n".join(body) + "\n" if body else "",
                fragment=fragment,
                file=file,
            )
        )
        index = end + 1
    return blocks


def prose_lines(text: str) -> list[str]:
    """The Markdown's lines with fenced code blocks blanked (same numbering)."""
    lines = text.replace("\r\n", "\n").split("\n")
    for block in extract_blocks(text, ""):
        length = block.code.count("\n")
        for offset in range(length + 2):
            position = block.line - 1 + offset
            if position < len(lines):
                lines[position] = ""
    return lines


def _mislabelled(code: str) -> str | None:
    """What a block labelled Python really is, if it is clearly something else."""
    lines = [line for line in code.splitlines() if line.strip()]
    if not lines:
        return None
    if any(char in code for char in _TREE_CHARS):
        return "a directory tree: label it ```text"
    statements = [line for line in lines if not line.lstrip().startswith("#")]
    if statements and all(_HTTP_LINE.match(line) for line in statements):
        return "HTTP routes, not Python: label it ```text or ```http"
    if lines[0].lstrip().startswith(">>> "):
        return "an interactive session: label it ```pycon"
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        pass
    else:
        return None
    if sum(1 for line in lines if _SHELL_START.match(line)) >= max(1, len(lines) // 2):
        return "shell commands: label it ```bash"
    if any(_TOML_TABLE.match(line) for line in lines) and any(
        _TOML_PAIR.match(line) for line in lines
    ):
        return "TOML or INI: label it ```toml"
    stripped = code.strip()
    if stripped[:1] in "{[":
        try:
            json.loads(stripped)
        except ValueError:
            return None
        return "JSON: label it ```json"
    return None


def _looks_like_python(code: str) -> bool:
    if not re.search(
        r"^\s*(def |async def |class |import |from \S+ import )", code, re.M
    ):
        return False
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def check_block_text(block: CodeBlock) -> tuple[list[Issue], bool]:
    """Host-side checks of one block (no tools run).

    Args:
        block: The block.

    Returns:
        The issues, and whether the block should go to ruff, format and mypy.
    """
    if not block.is_python:
        if not block.lang and _looks_like_python(block.code):
            return [
                Issue(
                    code="python-unlabelled",
                    severity="warning",
                    message="this block is Python without a language: label it "
                    "```python so it is highlighted and checked",
                    path=block.path,
                    line=block.line,
                )
            ], False
        return [], False
    if block.fragment is not None:
        if block.fragment:
            note = Issue(
                code="fragment",
                severity="info",
                message=f"fragment, not checked: {block.fragment}",
                path=block.path,
                line=block.line,
            )
        else:
            note = Issue(
                code="fragment-no-reason",
                severity="warning",
                message="fragment marker without a reason: write "
                "`<!-- fragment: why it cannot be complete -->`",
                path=block.path,
                line=block.line,
            )
        return [note], False
    if block.file is not None and not _SAFE_PATH.match(block.file):
        return [
            Issue(
                code="block-file",
                severity="error",
                message=f"`<!-- file: {block.file} -->` must be a relative path to a .py "
                "file of importable names (src/app/posts/service.py)",
                path=block.path,
                line=block.line,
            )
        ], False
    if (what := _mislabelled(block.code)) is not None:
        return [
            Issue(
                code="python-mislabelled",
                severity="error",
                message=f"block labelled python is {what}",
                path=block.path,
                line=block.line,
            )
        ], False
    if not block.code.strip():
        return [
            Issue(
                code="python-empty",
                severity="error",
                message="empty python block: remove it or fill it in",
                path=block.path,
                line=block.line,
            )
        ], False
    try:
        ast.parse(block.code)
    except SyntaxError as error:
        return [
            Issue(
                code="python-syntax",
                severity="error",
                message=f"does not parse ({error.msg}): complete it, or mark it "
                "`<!-- fragment: reason -->`",
                path=block.path,
                line=block.first_code_line + (error.lineno or 1) - 1,
            )
        ], False
    except ValueError as error:
        return [
            Issue(
                code="python-syntax",
                severity="error",
                message=f"does not parse ({error})",
                path=block.path,
                line=block.line,
            )
        ], False
    return [], True


def write_blocks(
    blocks: list[CodeBlock], folder: Path
) -> tuple[dict[str, CodeBlock], list[Issue]]:
    """Write each block to its file under ``folder`` (see :meth:`CodeBlock.filename`).

    Args:
        blocks: The blocks, in order.
        folder: An empty, harness-owned folder.

    Returns:
        The written blocks by file name, and a ``block-file`` error for each block whose
        file another block already took (that block is not written).
    """
    written: dict[str, CodeBlock] = {}
    clashes: list[Issue] = []
    for number, block in enumerate(blocks, start=1):
        name = block.filename(number)
        if name in written:
            clashes.append(
                Issue(
                    code="block-file",
                    severity="error",
                    message=f"{name} is also the file of the block at "
                    f"{written[name].path}:{written[name].line}: give each its own file",
                    path=block.path,
                    line=block.line,
                )
            )
            continue
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.code, encoding="utf-8")
        written[name] = block
    return written, clashes


__all__ = [
    "PYTHON_LANGS",
    "CodeBlock",
    "check_block_text",
    "extract_blocks",
    "prose_lines",
    "write_blocks",
]
