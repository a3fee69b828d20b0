"""The one-shot reply format: the canonical form, the tolerated variants, precise failures."""

import pytest

from harness.prompts import format_reply
from harness.solvers.oneshot.parser import (
    ReplyFormatError,
    check_path,
    parse_reply,
    path_from_header,
)

CANONICAL = """I'll build it.

### pyproject.toml
```toml
[project]
name = "app"
```

### src/app/main.py
```python
from fastapi import FastAPI

app = FastAPI()
```

That's all.
"""


def test_canonical_format():
    parsed = parse_reply(CANONICAL)
    assert parsed.files == {
        "pyproject.toml": '[project]\nname = "app"\n',
        "src/app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
    }
    assert parsed.problems == []
    assert parsed.style == ["heading"]


@pytest.mark.parametrize(
    "header",
    [
        "### src/app/main.py",
        "## src/app/main.py",
        "#### `src/app/main.py`",
        "**src/app/main.py**",
        "`src/app/main.py`",
        "src/app/main.py:",
        "File: src/app/main.py",
        "### File: `src/app/main.py`",
        "**File: src/app/main.py**",
        "### src/app/main.py (new)",
        "- `src/app/main.py`",
        "### ./src/app/main.py",
        # docs/reply-format.md: `./src//app\\main.py` -> `src/app/main.py`
        "### ./src//app\\main.py",
        "`src\\app\\main.py`",
    ],
)
def test_header_variants(header):
    parsed = parse_reply(f"{header}\n\n```python\nx = 1\n```\n")
    assert parsed.files == {"src/app/main.py": "x = 1\n"}


@pytest.mark.parametrize(
    "line",
    [
        "Here is the main module of the app, src/app/main.py, which does things.",
        "```python",
        "Version 3.12 is required.",
        "e.g. this",
        "### https://example.com/main.py",
        "",
    ],
)
def test_sentences_are_not_headers(line):
    assert path_from_header(line) is None


@pytest.mark.parametrize(
    "opening",
    [
        '```python title="src/app/main.py"',
        "```src/app/main.py",
        "```python:src/app/main.py",
        "```python file=src/app/main.py",
        "~~~python title='src/app/main.py'",
    ],
)
def test_path_in_the_info_string(opening):
    fence = opening[:3]
    parsed = parse_reply(f"Some text.\n{opening}\nx = 1\n{fence}\n")
    assert parsed.files == {"src/app/main.py": "x = 1\n"}
    assert parsed.style == ["info"]


def test_file_elements_with_and_without_fences():
    text = (
        '<file path="a.py">\nA = 1\n</file>\n'
        "<file path='b/c.py'>\n```python\nC = 3\n```\n</file>\n"
        '<file name="d.txt">one line</file>\n'
    )
    parsed = parse_reply(text)
    assert parsed.files == {
        "a.py": "A = 1\n",
        "b/c.py": "C = 3\n",
        "d.txt": "one line\n",
    }
    assert parsed.style == ["xml"]


def test_path_in_a_first_line_comment_keeps_the_line():
    parsed = parse_reply("```python\n# src/app/config.py\nX = 1\n```\n")
    assert parsed.files == {"src/app/config.py": "# src/app/config.py\nX = 1\n"}


def test_heading_a_few_lines_above_the_fence():
    parsed = parse_reply("### tests/test_a.py\nThe tests:\n\n```python\nT = 1\n```\n")
    assert parsed.files == {"tests/test_a.py": "T = 1\n"}


def test_longer_fence_holds_inner_fences():
    text = "### README.md\n````markdown\n# App\n```bash\npytest\n```\n````\n"
    assert parse_reply(text).files == {"README.md": "# App\n```bash\npytest\n```\n"}


def test_nested_fence_pairs_inside_a_three_backtick_block():
    text = (
        "### README.md\n```markdown\nRun:\n```bash\npytest\n```\nDone.\n```\n\n"
        "### a.py\n```python\nA = 1\n```\n"
    )
    parsed = parse_reply(text)
    assert parsed.files == {
        "README.md": "Run:\n```bash\npytest\n```\nDone.\n",
        "a.py": "A = 1\n",
    }


def test_empty_files_and_crlf():
    parsed = parse_reply("### src/app/__init__.py\r\n```python\r\n```\r\n")
    assert parsed.files == {"src/app/__init__.py": ""}


def test_unnamed_blocks_are_ignored_with_a_warning():
    text = CANONICAL + "\nRun it:\n```bash\npytest -q\n```\n"
    parsed = parse_reply(text)
    assert set(parsed.files) == {"pyproject.toml", "src/app/main.py"}
    [warning] = parsed.problems
    assert warning.severity == "warning"
    assert warning.line == 19
    assert "no file path" in warning.message


def test_duplicate_path_keeps_the_later_content():
    text = "### a.py\n```python\nA = 1\n```\n### a.py\n```python\nA = 2\n```\n"
    parsed = parse_reply(text)
    assert parsed.files == {"a.py": "A = 2\n"}
    assert [str(p) for p in parsed.problems] == [
        "line 6: a.py appears again (first at line 2); the later content is kept"
    ]


def test_truncated_reply_keeps_the_complete_files():
    text = "### a.py\n```python\nA = 1\n```\n### b.py\n```python\nB = "
    parsed = parse_reply(text)
    assert parsed.files == {"a.py": "A = 1\n"}
    [error] = parsed.errors
    assert str(error) == (
        "line 6: the block for b.py is never closed (no closing fence before the end "
        "of the reply: truncated?); the file was dropped"
    )


def test_unclosed_file_element():
    with pytest.raises(ReplyFormatError) as caught:
        parse_reply('<file path="a.py">\nA = 1\n')
    assert "line 1: the block for a.py is never closed (no </file>" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/etc/passwd", "is absolute"),
        ("../outside.py", "leaves the project"),
        ("src/../../x.py", "leaves the project"),
        (".git/hooks/pre-commit.sh", "inside .git/"),
        (".agents/skills/x/SKILL.md", "inside .agents/"),
        ("C:/x.py", "is absolute"),
    ],
)
def test_unsafe_paths_are_dropped_with_the_reason(path, reason):
    text = f'### ok.py\n```python\nOK = 1\n```\n<file path="{path}">\nX\n</file>\n'
    parsed = parse_reply(text)
    assert parsed.files == {"ok.py": "OK = 1\n"}
    [error] = parsed.errors
    assert error.line == 5
    assert reason in error.message


def test_check_path_normalises():
    assert check_path("./src//app/main.py") == ("src/app/main.py", None)
    assert check_path("src\\app\\x.py") == ("src/app/x.py", None)
    assert check_path("`a.py`") == ("a.py", None)


def test_no_files_at_all():
    with pytest.raises(ReplyFormatError) as caught:
        parse_reply("I cannot do that.")
    assert caught.value.summary.startswith("the reply holds no files")
    assert "docs/reply-format.md" in str(caught.value)
    assert caught.value.problems == []


def test_only_unnamed_blocks():
    with pytest.raises(ReplyFormatError) as caught:
        parse_reply("Code:\n```python\nx = 1\n```\nMore:\n```python\ny = 2\n```\n")
    assert caught.value.summary == (
        "the reply's 2 fenced block(s) name no file: put `### path/to/file.py` on the "
        "line before each fence"
    )
    assert [p.line for p in caught.value.problems] == [2, 6]


def test_format_reply_round_trips():
    files = {
        "pyproject.toml": "[project]\n",
        "src/app/__init__.py": "",
        "README.md": "# x\n```bash\nrun\n````\nmore\n",
        ".env.example": "A=1\n",
        "Dockerfile": "FROM python:3.12\n",
    }
    assert parse_reply(format_reply(files)).files == files
