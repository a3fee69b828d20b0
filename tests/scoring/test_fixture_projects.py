"""Each fixture project is built to show one finding; each test asserts exactly that finding."""

import textwrap
from pathlib import Path

import pytest

from harness.project import load_project
from harness.sandbox import SandboxLimits
from tests.scoring.conftest import MINI, Scorer


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def codes(score_result: object, check: str) -> list[tuple[str, str | None, int | None]]:
    from harness.scoring.results import ProjectScore

    assert isinstance(score_result, ProjectScore)
    return [(f.code, f.path, f.line) for f in score_result.check(check).findings]


def test_clean_project_gets_full_marks(score: Scorer) -> None:
    result = score(MINI / "project")
    assert result.overall == 1.0
    assert {c.name: c.status for c in result.checks if c.name != "conformance"} == {
        "ruff": "pass",
        "format": "pass",
        "mypy": "pass",
        "own_tests": "pass",
        "acceptance": "pass",
        "dependencies": "pass",
    }
    # Skill conformance is measured, but stays out of the overall score by default:
    # the mini app keeps its routes in main.py, which the skill's layout rule flags.
    assert result.weights["conformance"] == 0.0
    assert result.check("conformance").status == "fail"
    assert result.check("acceptance").figures["passed"] == 4
    assert result.check("own_tests").figures["passed"] == 2
    assert result.project == "mini"
    assert result.entrypoint == "mini.main:app (pyproject)"
    assert result.sandbox.startswith("bubblewrap")


def test_lint_errors_are_found_by_rule_code(score: Scorer, mini: Path) -> None:
    write(
        mini / "src/mini/util.py",
        '''
        """Helpers."""

        import os


        def first(items: list[int] = []) -> int:
            """The first item."""
            return items[0]


        def last(items: list[int]) -> int:
            return items[-1]
        ''',
    )
    result = score(mini, checks=["ruff"])
    assert codes(result, "ruff") == [
        ("F401", "src/mini/util.py", 3),
        ("B006", "src/mini/util.py", 6),
        ("D103", "src/mini/util.py", 11),
    ]
    ruff = result.check("ruff")
    assert ruff.status == "fail"
    assert ruff.figures["code:F401"] == 1
    # README: 1 / (1 + d/20), d = findings per 1,000 non-blank lines (at least 100
    # counted), D rules a quarter: here 2 + 0.25 weighted findings.
    lines = sum(
        1
        for path in mini.rglob("*.py")
        for line in path.read_text().splitlines()
        if line.strip()
    )
    assert ruff.figures["lines"] == lines
    density = 2.25 / (max(lines, 100) / 1000)
    assert ruff.score == pytest.approx(1 / (1 + density / 20), abs=1e-4)


def test_project_ruff_config_is_reported_never_obeyed(
    score: Scorer, mini: Path
) -> None:
    pyproject = mini / "pyproject.toml"
    text = pyproject.read_text() + '\n[tool.ruff.lint]\nignore = ["F401"]\n'
    pyproject.write_text(text)
    write(mini / "src/mini/extra.py", '"""Extra."""\n\nimport os\n')
    result = score(mini, checks=["ruff"])
    assert codes(result, "ruff") == [("F401", "src/mini/extra.py", 3)]
    assert result.check("ruff").figures["project_config_ignored"] == (
        "pyproject.toml [tool.ruff] (lint)"
    )


def test_type_errors_are_found_by_error_code(score: Scorer, mini: Path) -> None:
    write(
        mini / "src/mini/typed.py",
        '''
        """Typed helpers."""


        def double(value: int) -> int:
            """Twice the value."""
            return str(value * 2)


        def untyped(value):  # type: ignore[no-untyped-def]
            """No annotations."""
            return value
        ''',
    )
    result = score(mini, checks=["mypy"])
    assert codes(result, "mypy") == [("return-value", "src/mini/typed.py", 6)]
    assert result.check("mypy").status == "fail"
    # README: 1 / (1 + e/10), e = errors per 1,000 lines; this small project counts as 100.
    assert result.check("mypy").score == pytest.approx(1 / (1 + 10 / 10))


def test_mypy_strict_flags_missing_annotations(score: Scorer, mini: Path) -> None:
    write(
        mini / "src/mini/loose.py",
        '''
        """Loose."""


        def add(a, b):
            """Add."""
            return a + b
        ''',
    )
    result = score(mini, checks=["mypy"])
    assert codes(result, "mypy") == [("no-untyped-def", "src/mini/loose.py", 4)]


def test_project_mypy_config_is_reported_never_obeyed(
    score: Scorer, mini: Path
) -> None:
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.mypy]\nignore_errors = true\nstrict = false\n"
    )
    write(
        mini / "src/mini/loose.py",
        '''
        """Loose."""


        def add(a, b):
            """Add."""
            return a + b
        ''',
    )
    result = score(mini, checks=["mypy"])
    assert codes(result, "mypy") == [("no-untyped-def", "src/mini/loose.py", 4)]
    assert result.check("mypy").figures["project_config_ignored"] == (
        "pyproject.toml [tool.mypy] (ignore_errors, strict)"
    )


def test_project_pytest_options_that_hide_failures_are_dropped(
    score: Scorer, mini: Path
) -> None:
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + "\n[tool.pytest.ini_options]\n"
        + 'addopts = "--deselect tests/test_wrong.py::test_wrong"\n'
        + 'filterwarnings = ["ignore::DeprecationWarning"]\n'
    )
    write(
        mini / "tests/test_wrong.py",
        """
        import datetime


        def test_wrong() -> None:
            assert datetime.datetime.utcnow().year < 2000
        """,
    )
    own = score(mini, checks=["own_tests"]).check("own_tests")
    assert (own.figures["passed"], own.figures["failed"]) == (2, 1)
    assert own.figures["deprecation_warnings"] == 1
    assert own.figures["project_options_ignored"] == "addopts, filterwarnings"


def test_unformatted_files_are_listed(score: Scorer, mini: Path) -> None:
    write(mini / "src/mini/ugly.py", '"""Ugly."""\nVALUE = {  "a":1 }\n')
    result = score(mini, checks=["format"])
    fmt = result.check("format")
    assert codes(result, "format") == [("would-reformat", "src/mini/ugly.py", None)]
    assert fmt.figures == {"files": 4, "would_change": 1}
    assert fmt.score == 0.75


def test_failing_own_test_is_counted(score: Scorer, mini: Path) -> None:
    write(
        mini / "tests/test_fails.py",
        """
        def test_wrong() -> None:
            assert 1 + 1 == 3
        """,
    )
    result = score(mini, checks=["own_tests"])
    own = result.check("own_tests")
    assert own.status == "fail"
    assert (own.figures["passed"], own.figures["failed"]) == (2, 1)
    assert own.score == round(2 / 3, 4)
    assert codes(result, "own_tests") == [
        ("failed", "tests/test_fails.py::test_wrong", None)
    ]


def test_deprecation_warnings_are_findings(score: Scorer, mini: Path) -> None:
    write(
        mini / "tests/test_old.py",
        """
        import datetime


        def test_uses_utcnow() -> None:
            assert datetime.datetime.utcnow().year > 2000
        """,
    )
    result = score(mini, checks=["own_tests"])
    own = result.check("own_tests")
    assert own.figures["deprecation_warnings"] == 1
    assert own.status == "fail"
    assert own.score == 0.95
    [finding] = own.findings
    assert finding.code == "deprecation"
    assert "utcnow" in finding.message


def test_failing_acceptance_is_counted(score: Scorer, mini: Path) -> None:
    main = mini / "src/mini/main.py"
    main.write_text(main.read_text().replace("min_length=1", "min_length=0"))
    result = score(mini, checks=["acceptance"])
    acceptance = result.check("acceptance")
    assert acceptance.status == "fail"
    assert (acceptance.figures["passed"], acceptance.figures["failed"]) == (3, 1)
    assert acceptance.score == 0.75
    [finding] = acceptance.findings
    assert finding.path == "test_mini.py::test_empty_name_rejected"
    assert "422" in finding.message


def test_syntax_error_fails_every_check_with_a_reason(
    score: Scorer, mini: Path
) -> None:
    main = mini / "src/mini/main.py"
    main.write_text(main.read_text() + "\ndef broken(:\n")
    result = score(mini)
    assert {f.code for f in result.check("ruff").findings} == {"invalid-syntax"}
    assert result.check("format").figures["would_change"] == 1
    assert result.check("mypy").findings[0].code == "syntax"
    assert result.check("own_tests").reason == "1 test module(s) failed to import"
    acceptance = result.check("acceptance")
    assert acceptance.score == 0.0
    assert acceptance.reason is not None
    assert "SyntaxError" in acceptance.reason
    assert result.overall < 0.3


def test_missing_pyproject_falls_back_and_is_reported(
    score: Scorer, mini: Path
) -> None:
    (mini / "pyproject.toml").unlink()
    write(mini / "main.py", "from mini.main import app\n\napp = app.__class__()\n")
    result = score(mini, checks=["dependencies", "acceptance"])
    deps = result.check("dependencies")
    assert (deps.status, deps.reason) == ("fail", "no pyproject.toml")
    assert result.entrypoint == "main:app (fallback)"


def test_entrypoint_factory_is_called(score: Scorer, mini: Path) -> None:
    # README: "a zero-argument factory function is called".
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("mini.main:app", "mini.main:create_app")
    )
    main = mini / "src/mini/main.py"
    main.write_text(
        main.read_text()
        + '\n\ndef create_app() -> FastAPI:\n    """Build the app."""\n'
        "    return app\n"
    )
    result = score(mini, checks=["acceptance"])
    acceptance = result.check("acceptance")
    assert acceptance.status == "pass", acceptance
    assert acceptance.figures["passed"] == 4
    assert result.entrypoint == "mini.main:create_app (pyproject)"


MADE = "from fastapi import FastAPI\n\napp = FastAPI()\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # src/ layout: importable as a top-level package.
        ({"src/app/main.py": MADE}, "app.main:app"),
        # main.py assigns no app from a call, so api.py (named `api`) is next.
        ({"main.py": "x = 1\n", "api.py": "api = make()\n"}, "api:api"),
        # An annotated assignment counts; main.py comes before app/main.py.
        ({"main.py": "app: object = make()\n", "app/main.py": MADE}, "main:app"),
        # Imported, not assigned from a call: not FastAPI CLI's convention.
        ({"main.py": "from elsewhere import app\n"}, None),
    ],
)
def test_fallback_follows_fastapi_clis_discovery(
    tmp_path: Path, files: dict[str, str], expected: str | None
) -> None:
    for rel, text in files.items():
        write(tmp_path / rel, text)
    project = load_project(tmp_path)
    assert project.entrypoint == expected
    if expected is not None:
        assert project.entrypoint_source == "fallback"


def test_broken_entrypoint_is_a_scored_failure(score: Scorer, mini: Path) -> None:
    pyproject = mini / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("mini.main:app", "mini.nowhere:app")
    )
    result = score(mini, checks=["acceptance"])
    acceptance = result.check("acceptance")
    assert acceptance.status == "fail"
    assert acceptance.reason == (
        "mini.nowhere:app did not load: ModuleNotFoundError: No module named 'mini.nowhere'"
    )


def test_app_failing_at_startup_is_reported(score: Scorer, mini: Path) -> None:
    main = mini / "src/mini/main.py"
    main.write_text(
        main.read_text() + "\nraise RuntimeError('no database configured')\n"
    )
    result = score(mini, checks=["acceptance"])
    assert result.check("acceptance").reason == (
        "mini.main:app did not load: RuntimeError: no database configured"
    )


@pytest.mark.slow
def test_hanging_test_times_out_naming_the_test(score: Scorer, mini: Path) -> None:
    write(
        mini / "tests/test_zz_hang.py",
        """
        import time


        def test_hangs() -> None:
            time.sleep(600)
        """,
    )
    result = score(mini, checks=["own_tests"], limits=SandboxLimits(wall_seconds=8))
    own = result.check("own_tests")
    assert own.status == "timeout"
    assert own.reason == (
        "the project's tests timed out after 8 s (wall clock) in "
        "tests/test_zz_hang.py::test_hangs"
    )
    assert own.figures["passed"] == 2


def test_dependency_outside_the_environment(score: Scorer, mini: Path) -> None:
    pyproject = mini / "pyproject.toml"
    text = pyproject.read_text().replace(
        '"pydantic>=2"]', '"pydantic>=2", "flask>=3", "fastapi<0.100"]'
    )
    pyproject.write_text(text)
    result = score(mini, checks=["dependencies"])
    deps = result.check("dependencies")
    assert [f.code for f in deps.findings] == ["not-in-environment", "version-conflict"]
    assert deps.figures == {
        "declared": 7,
        "outside_environment": 2,
        "sources": "pyproject.toml [dependency-groups] dev, "
        "pyproject.toml [project] dependencies",
    }
    assert deps.score == round(1 - 2 / 7, 4)


def test_not_a_python_project(score: Scorer, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    result = score(tmp_path)
    assert result.overall == 0.0
    assert result.check("ruff").reason == "the project has no Python files"
    assert result.check("acceptance").status == "fail"


def test_test_code_is_exempt_from_docstring_and_annotation_rules(
    score: Scorer, mini: Path
) -> None:
    helper = "def make(value):\n    assert value\n    return value\n"
    write(mini / "tests/helpers.py", helper)
    write(mini / "src/mini/helpers.py", '"""Helpers."""\n\n\n' + helper)
    result = score(mini, checks=["ruff"])
    assert sorted({(path, code) for code, path, _ in codes(result, "ruff")}) == [
        ("src/mini/helpers.py", "ANN001"),
        ("src/mini/helpers.py", "ANN201"),
        ("src/mini/helpers.py", "D103"),
        ("src/mini/helpers.py", "S101"),
    ]


def test_app_reaches_fake_services_but_never_sees_hidden_tests(score: Scorer) -> None:
    from harness.scoring.context import AcceptanceSpec, ServiceSpec
    from tests.scoring.conftest import FIXTURES

    spec = AcceptanceSpec(
        tests_dir=FIXTURES / "peek" / "acceptance",
        services=[ServiceSpec(name="upstream", file="services/upstream.py", port=9300)],
        env={"UPSTREAM_URL": "http://127.0.0.1:9300"},
    )
    result = score(
        FIXTURES / "peek" / "project", checks=["acceptance"], acceptance=spec
    )
    acceptance = result.check("acceptance")
    assert acceptance.findings == []
    assert acceptance.figures["passed"] == 3
