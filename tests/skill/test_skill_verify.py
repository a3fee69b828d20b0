"""`harness skill verify`: blocks run, claim probes run, and each probe stays tied to its sentence."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.sandbox import Sandbox
from harness.skills.claims import check_claims, find_probes, locate
from harness.skills.lint import lint_skill
from harness.skills.verify import SkillVerifier, VerifyReport

ROOT = Path(__file__).resolve().parents[2]
SKILL = Path(__file__).resolve().parent / "fixtures" / "claims-skill"


def copy_skill(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SKILL, tmp_path / "claims-skill"))


def write_probe(skill: Path, body: str, name: str = "test_probe.py") -> None:
    (skill / "evals" / "claims" / name).write_text(body, encoding="utf-8")


# Links from probes to sentences (host only) --------------------------------------------


def test_an_excerpt_is_found_across_line_breaks_and_comment_lines() -> None:
    text = "# Title\n\nThe level\nsetting   filters.\n\nx = 1  # created_at comes\n# back with the INSERT\n"
    assert locate(text, "The level setting filters.") == [3]
    assert locate(text, "created_at comes back with the INSERT") == [6]
    assert locate(text, "setting filters") == [4]
    assert locate(text, "no such text") == []
    assert locate("a b a b", "a b") == [1, 1]


def test_probes_name_their_sentences_through_literals_or_constants() -> None:
    probes, issues = find_probes(SKILL)
    assert issues == []
    assert [p.id for p in probes] == [
        "test_guide.py::test_round_half_to_even",
        "test_guide.py::test_sort_returns_the_list",
        "test_guide.py::test_the_greeting_block",
        "test_guide.py::test_sorted_is_stable",
    ]
    assert probes[1].claims[0].file == "references/guide.md"


def test_a_rewritten_sentence_orphans_its_probe() -> None:
    claims, issues, figures = check_claims(SKILL)
    assert [(i.code, i.severity, i.path, i.line) for i in issues] == [
        ("claim-orphaned", "error", "evals/claims/test_guide.py", 23)
    ]
    assert "references/guide.md no longer says" in issues[0].message
    assert "test_guide.py::test_sorted_is_stable" in issues[0].message
    assert [c.line for c in claims] == [8, 3, 4, None]
    assert figures == {"claim_probes": 4, "claims": 4, "claimed_files": 2}


def test_unlinked_and_malformed_probes_and_bad_files_are_errors(tmp_path: Path) -> None:
    skill = copy_skill(tmp_path)
    write_probe(
        skill,
        "import pytest\n\n\ndef test_guards_nothing() -> None:\n    pass\n\n\n"
        '@pytest.mark.claim("references/guide.md")\ndef test_one_argument() -> None:\n'
        "    pass\n\n\n"
        '@pytest.mark.claim("../outside.md", "x")\ndef test_outside() -> None:\n'
        "    pass\n\n\n"
        '@pytest.mark.claim("references/guide.md", "sorted")\n'
        '@pytest.mark.claim("SKILL.md", "Greets")\ndef test_twice() -> None:\n    pass\n',
    )
    (tmp_path / "outside.md").write_text("x\n", encoding="utf-8")
    _, issues, _ = check_claims(skill)
    found = {(i.code, i.line) for i in issues if i.path.endswith("test_probe.py")}
    assert found == {
        ("claim-unlinked", 4),
        ("claim-unlinked", 9),
        ("claim-marker", 8),
        ("claim-file", 13),
        ("claim-ambiguous", 18),
    }


def test_lint_reports_an_orphaned_probe_as_an_error() -> None:
    report = lint_skill(SKILL)
    assert not report.ok
    assert [i.code for i in report.issues if i.severity == "error"] == ["claim-orphaned"]
    assert report.figures["claim_probes"] == 4


# Running blocks and probes in the sandbox ----------------------------------------------


@pytest.fixture(scope="module")
def verifier() -> SkillVerifier:
    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    return SkillVerifier(sandbox, environment)


@pytest.fixture(scope="module")
def report(verifier: SkillVerifier) -> VerifyReport:
    return verifier.verify(SKILL)


@pytest.mark.slow
def test_blocks_are_executed_under_warnings_as_errors(report: VerifyReport) -> None:
    blocks = {(b.line, b.kind, b.status, b.tests) for b in report.blocks}
    assert blocks == {
        (11, "module", "pass", 0),
        (20, "module", "fail", 0),
        (28, "tests", "fail", 2),
    }
    messages = {b.line: b.message or "" for b in report.blocks}
    assert "DeprecationWarning: this block is out of date" in messages[20]
    assert "1 of 2 tests failed; test_greets_everyone[Bob]" in messages[28]
    assert report.figures["fragments"] == 1


@pytest.mark.slow
def test_a_failing_probe_names_its_sentence_as_stale(report: VerifyReport) -> None:
    status = {(c.file, c.line, c.status) for c in report.claims}
    assert status == {
        ("SKILL.md", 8, "pass"),
        ("references/guide.md", 3, "stale"),
        ("references/guide.md", 4, "pass"),
        ("references/guide.md", None, "orphaned"),
    }
    stale = next(c for c in report.claims if c.status == "stale")
    assert stale.probe == "test_guide.py::test_sort_returns_the_list"
    assert stale.message is not None
    assert "assert None == [1, 2]" in stale.message
    assert not report.ok
    assert report.figures["claims_held"] == 2


@pytest.mark.slow
def test_a_probe_that_cannot_import_is_not_run(tmp_path: Path, verifier: SkillVerifier) -> None:
    skill = copy_skill(tmp_path)
    write_probe(
        skill,
        "import pytest\nimport not_installed_anywhere\n\n\n"
        '@pytest.mark.claim("SKILL.md", "Greets people.")\ndef test_x() -> None:\n    pass\n',
    )
    report = verifier.verify(skill)
    broken = next(c for c in report.claims if c.probe == "test_probe.py::test_x")
    assert broken.status == "not-run"
    assert "No module named 'not_installed_anywhere'" in (broken.message or "")


@pytest.mark.slow
def test_the_command_prints_stale_sentences_and_exits_1() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness", "skill", "verify", str(SKILL)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any(
        line.startswith('references/guide.md:3: STALE "A list\'s `sort()` returns the sorted')
        for line in lines
    ), done.stdout
    assert any(line.startswith("SKILL.md:20: block FAIL (imported)") for line in lines)
    assert lines[-1].startswith("claims-skill: 1/3 Python blocks ran clean (2 tests in them")
    assert "2/4 sentences held under 4 probes, 2 stale or orphaned" in lines[-1]
    as_json = subprocess.run(
        [sys.executable, "-m", "harness", "skill", "verify", str(SKILL), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    data = json.loads(as_json.stdout)
    assert VerifyReport.model_validate(data).figures["claims"] == 4
