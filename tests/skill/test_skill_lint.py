"""`harness skill lint`: spec front matter, budgets, links, references and Python blocks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.errors import UsageError
from harness.sandbox import Sandbox
from harness.skills.tool_checks import BlockChecker, extract_blocks
from harness.skills.frontmatter import split_skill_file
from harness.skills.issues import LintReport
from harness.skills.lint import lint_skill
from harness.variants import split_frontmatter

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good-skill"
BAD = FIXTURES / "bad-skill"


def harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )


def codes(report: LintReport, severity: str | None = None) -> set[str]:
    return {i.code for i in report.issues if severity in (None, i.severity)}


def write_skill(folder: Path, front: str, body: str = "# Body\n") -> Path:
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def checker() -> BlockChecker:
    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    return BlockChecker(sandbox, environment)


# Front matter --------------------------------------------------------------------------


def test_good_skill_has_no_errors_or_warnings() -> None:
    report = lint_skill(GOOD)
    assert report.ok
    assert codes(report) == {"fragment"}
    assert report.figures["python_blocks"] == 3
    assert report.figures["fragments"] == 1


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("description: Does x. Use when y.\n", "name-missing"),
        ("name: demo\n", "description-missing"),
        ("name: Demo\ndescription: Use when y.\n", "name-format"),
        ("name: -demo\ndescription: Use when y.\n", "name-format"),
        ("name: de--mo\ndescription: Use when y.\n", "name-format"),
        ("name: other\ndescription: Use when y.\n", "name-mismatch"),
        ("name: demo\ndescription: Use when x <y>.\n", "description-angle-brackets"),
        (f"name: demo\ndescription: {'w' * 1025}\n", "description-length"),
        (
            "name: demo\ndescription: Use when y.\ncompatibility: ''\n",
            "compatibility-format",
        ),
        ("name: demo\ndescription: Use: when y: z\n", "frontmatter-yaml"),
    ],
)
def test_front_matter_errors(tmp_path: Path, front: str, expected: str) -> None:
    report = lint_skill(write_skill(tmp_path / "demo", front))
    assert expected in codes(report, "error")
    assert not report.ok


def test_name_longer_than_64_is_an_error(tmp_path: Path) -> None:
    name = "a" * 65
    report = lint_skill(
        write_skill(tmp_path / name, f"name: {name}\ndescription: Use when y.\n")
    )
    assert "name-length" in codes(report, "error")


def test_missing_front_matter_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "SKILL.md").write_text("# Just a body\n", encoding="utf-8")
    assert codes(lint_skill(folder), "error") == {"frontmatter-missing"}


def test_fields_outside_the_spec_are_warnings_naming_who_rejects_them(
    tmp_path: Path,
) -> None:
    front = "name: demo\ndescription: Use when y.\nargument-hint: x\nwhen_to_use: z\n"
    report = lint_skill(write_skill(tmp_path / "demo", front))
    assert report.ok
    unknown = [i for i in report.issues if i.code == "field-unknown"]
    assert [i.line for i in unknown] == [4, 5]
    assert all(i.severity == "warning" for i in unknown)
    assert "Claude Code understands it" in unknown[0].message
    assert "package_skill.py reject" in unknown[0].message
    assert "Unexpected key(s)" in unknown[0].message


def test_reserved_word_in_name_is_a_warning(tmp_path: Path) -> None:
    report = lint_skill(
        write_skill(
            tmp_path / "claude-helper",
            "name: claude-helper\ndescription: Use when y.\n",
        )
    )
    assert report.ok
    assert "name-reserved" in codes(report, "warning")


# Budgets -------------------------------------------------------------------------------


def test_body_of_500_lines_is_an_error_and_many_tokens_a_warning(
    tmp_path: Path,
) -> None:
    body = "".join(f"line {n} {'word ' * 10}\n" for n in range(500))
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body)
    )
    assert "body-lines" in codes(report, "error")
    assert "body-tokens" in codes(report, "warning")
    assert report.figures["body_lines"] == 500


def test_long_body_under_500_lines_only_warns(tmp_path: Path) -> None:
    body = "".join(f"{'word ' * 60}\n" for _ in range(100))
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body)
    )
    assert report.ok
    assert codes(report) == {"body-tokens"}


# Links and references ------------------------------------------------------------------


def test_bad_skill_links_and_references() -> None:
    report = lint_skill(BAD)
    broken = {i.message.split("`")[1] for i in report.issues if i.code == "link-broken"}
    assert broken == {"references/missing.md", "references/absent.md"}
    by_path = {(i.path, i.code) for i in report.issues}
    assert ("references/deep/nested.md", "reference-nested") in by_path
    assert ("references/deep/nested.md", "reference-depth") in by_path
    assert ("references/orphan.md", "reference-orphan") in by_path
    assert ("references/guide.md", "reference-nested") not in by_path


def test_links_inside_code_and_external_links_are_not_checked(tmp_path: Path) -> None:
    body = (
        "[site](https://example.com) [top](#body) `[x](nowhere.md)`\n\n"
        "```markdown\n[inside](missing.md)\n```\n"
    )
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body)
    )
    assert "link-broken" not in codes(report)


def test_link_outside_the_skill_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "outside.md").write_text("x", encoding="utf-8")
    body = "[out](../outside.md)\n"
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body)
    )
    assert "link-outside" in codes(report, "error")


def test_long_reference_without_contents_warns(tmp_path: Path) -> None:
    folder = write_skill(
        tmp_path / "demo",
        "name: demo\ndescription: Use when y.\n",
        "[r](references/r.md)\n",
    )
    (folder / "references").mkdir()
    (folder / "references" / "r.md").write_text(
        "# R\n" + "text\n" * 120, encoding="utf-8"
    )
    assert "reference-toc" in codes(lint_skill(folder), "warning")


# Code blocks ---------------------------------------------------------------------------


def test_block_extraction_keeps_lines_and_fragment_reasons() -> None:
    text = (
        "intro\n\n<!-- fragment: partial -->\n\n```python\nx = 1\n```\n\n"
        "- item\n\n  ```py\n  y = 2\n  ```\n"
    )
    first, second = extract_blocks(text, "SKILL.md")
    assert (first.line, first.lang, first.code, first.fragment) == (
        5,
        "python",
        "x = 1\n",
        "partial",
    )
    assert (second.line, second.lang, second.code, second.fragment) == (
        11,
        "py",
        "y = 2\n",
        None,
    )


def test_mislabelled_and_broken_blocks_are_errors_without_tools() -> None:
    report = lint_skill(BAD)
    mislabelled = [i for i in report.issues if i.code == "python-mislabelled"]
    assert [
        (i.line, "tree" in i.message, "shell" in i.message) for i in mislabelled
    ] == [
        (13, True, False),
        (19, False, True),
    ]
    assert "python-syntax" in codes(report, "error")
    assert "fragment-no-reason" in codes(report, "warning")
    assert "python-unlabelled" in codes(report, "warning")


def test_http_routes_labelled_python_are_mislabelled(tmp_path: Path) -> None:
    body = "```python\n# routes\nGET /posts/{post_id}\nPOST /posts\n```\n"
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body)
    )
    assert "python-mislabelled" in codes(report, "error")


def test_tools_pass_clean_blocks_and_locate_findings(checker: BlockChecker) -> None:
    good = lint_skill(GOOD, checker=checker)
    assert good.ok, [i.render() for i in good.issues]
    assert good.figures["python_blocks_checked"] == 2
    assert good.figures["python_blocks_clean"] == 2

    bad = lint_skill(BAD, checker=checker)
    found = {(i.code, i.line) for i in bad.issues}
    assert ("ruff:F401", 25) in found
    assert ("ruff:F821", 28) in found
    assert ("mypy:name-defined", 28) in found
    assert ("mypy:no-untyped-def", 27) in found
    assert any(code == "format" for code, _ in found)
    # The mislabelled, unparsable and fragment blocks never reach the tools.
    assert bad.figures["python_blocks_checked"] == 1


def test_imports_of_the_skills_own_project_sort_as_first_party(
    tmp_path: Path, checker: BlockChecker
) -> None:
    body = (
        "```python\nfrom fastapi import APIRouter\n\nfrom myapp import settings\n\n"
        "router = APIRouter()\nvalue = settings\n```\n"
    )
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body),
        checker=checker,
    )
    assert "ruff:I001" not in codes(report)
    assert "mypy:import-not-found" in codes(report)


# Command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("does/not/exist", "does/not/exist does not exist"),
        ("README.md", "README.md is a file, not a skill"),
        ("tests", "tests has no SKILL.md"),
    ],
)
def test_bad_paths_give_one_line(path: str, expected: str) -> None:
    done = harness("skill", "lint", path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"harness: error: {done.stderr.split('error: ', 1)[1].strip()}"
    ]
    assert expected in done.stderr


def test_resolve_rejects_lowercase_skill_md(tmp_path: Path) -> None:
    (tmp_path / "skill.md").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match=r"rename skill\.md to SKILL\.md"):
        lint_skill(tmp_path)


def test_cli_exit_status_and_json() -> None:
    good = harness("skill", "lint", str(GOOD), "--no-tools", "--json")
    assert good.returncode == 0, good.stderr
    data = json.loads(good.stdout)
    assert data["skill"] == "good-skill"
    assert data["figures"]["errors"] == 0

    bad = harness("skill", "lint", str(BAD), "--no-tools")
    assert bad.returncode == 1
    assert "SKILL.md:2: error [name-mismatch]" in bad.stdout
    assert "bad-skill: " in bad.stdout.strip().splitlines()[-1]


def test_the_repositorys_skill_passes_lint(checker: BlockChecker) -> None:
    skill = ROOT / "skill" / "python-fastapi-developer"
    assert (skill / "SKILL.md").is_file(), f"{skill}/SKILL.md is missing"
    report = lint_skill(skill, checker=checker)
    assert report.ok, "\n".join(
        i.render() for i in report.issues if i.severity == "error"
    )
    assert (
        report.figures["python_blocks_checked"] == report.figures["python_blocks_clean"]
    )


def test_anchors_follow_githubs_heading_slugs(tmp_path: Path) -> None:
    body = (
        "# Title\n\n## FastAPI's `Depends` & you\n\n## Repeat\n\n## Repeat\n\n"
        "[a](#fastapis-depends--you) [b](#repeat-1) [c](#nowhere) "
        "[d](references/r.md#usage) [e](references/r.md#gone)\n"
    )
    folder = write_skill(
        tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body
    )
    (folder / "references").mkdir()
    (folder / "references" / "r.md").write_text("# R\n\n## Usage\n", encoding="utf-8")
    report = lint_skill(folder)
    bad = sorted(
        i.message.split("`")[1] for i in report.issues if i.code == "link-anchor"
    )
    assert bad == ["#nowhere", "references/r.md#gone"]
    assert report.ok


def test_file_markers_let_blocks_import_each_other(
    tmp_path: Path, checker: BlockChecker
) -> None:
    body = (
        "<!-- file: src/app/greeting.py -->\n```python\n"
        '"""Greetings."""\n\n\ndef greet(name: str) -> str:\n'
        '    """Greet someone."""\n    return f"Hello, {name}"\n```\n\n'
        "<!-- file: tests/test_greeting.py -->\n```python\n"
        "from app.greeting import greet\n\n\ndef test_greet() -> None:\n"
        '    assert greet("Ada") == "Hello, Ada"\n```\n\n'
        "<!-- file: tests/test_greeting.py -->\n```python\nx = 1\n```\n\n"
        "<!-- file: ../escape.py -->\n```python\ny = 2\n```\n"
    )
    report = lint_skill(
        write_skill(tmp_path / "demo", "name: demo\ndescription: Use when y.\n", body),
        checker=checker,
    )
    errors = [(i.code, i.line) for i in report.issues if i.severity == "error"]
    assert errors == [("block-file", 25), ("block-file", 30)]
    assert report.figures["python_blocks_checked"] == 2
    assert report.figures["python_blocks_clean"] == 2


def test_one_front_matter_parser_strict_for_lint_lenient_for_loading() -> None:
    text = "---\nname: a\ndescription: Use when: things happen\nmetadata:\n  k: v\n---\nB\n"

    strict = split_skill_file(text)
    lenient = split_skill_file(text, lenient=True)

    assert strict.meta is None
    assert [problem.code for problem in strict.problems] == ["frontmatter-yaml"]
    assert lenient.meta == {
        "name": "a",
        "description": "Use when: things happen",
        "metadata": {"k": "v"},
    }
    assert (lenient.body, lenient.problems) == ("B\n", ())
    assert split_frontmatter(text) == (lenient.meta, "B\n")
    assert split_frontmatter("---\nname: [unclosed\n---\nB") == ({}, "B")
