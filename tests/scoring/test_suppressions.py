"""A project switches a judge off from inside its code: the switch is refused and reported.

Each case (``tests/scoring/suppression_cases.py``) is scored twice in the real sandbox: the
project with the inline switch and its honest twin without it. Before the fix every rigged
project scored higher than its twin on the check named (measured with ``harness score`` on
main's code: docs/threat-model.md lists each before/after); now the check scores as if the
switch were absent, and a ``suppression:<kind>`` finding names its file and line.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from harness.scoring.results import CheckResult
from tests.scoring.conftest import Scorer
from tests.scoring.suppression_cases import CASES, Case

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
#: Blanket ``noqa`` comments are also charged by ruff's own PGH004 (a rule of the pinned
#: configuration, as before): the rigged twin scores one finding lower, never higher.
PGH004 = {"ruff-noqa-file", "flake8-noqa-file", "blanket-noqa"}


def _check(score: Scorer, case: Case, root: Path, *, rigged: bool) -> CheckResult:
    project = case.build(root, rigged=rigged)
    return score(project, checks=[case.check]).check(case.check)


def _counted(check: CheckResult) -> list[str]:
    return sorted(
        f.code for f in check.findings if not f.code.startswith("suppression:")
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_an_inline_switch_is_refused_and_scored_as_if_absent(
    score: Scorer, tmp_path: Path, case: Case
) -> None:
    rigged = _check(score, case, tmp_path / "rigged", rigged=True)
    honest = _check(score, case, tmp_path / "honest", rigged=False)
    assert honest.score < 1.0, honest  # the code the switch hid is charged...
    if case.name in PGH004:
        assert _counted(rigged) == sorted([*_counted(honest), "PGH004"])
        assert rigged.score < honest.score
    else:  # ...and the switch changes nothing
        assert rigged.score == honest.score, (rigged, honest)
        if case.check != "own_tests":
            assert _counted(rigged) == _counted(honest)
    reported = [f for f in rigged.findings if f.code == f"suppression:{case.kind}"]
    assert reported, rigged
    assert reported[0].severity == "warning"
    if case.check == "own_tests":
        assert reported[0].path == "tests/test_extra.py::test_wrong"
        assert rigged.figures["passed"] == 2
        assert rigged.reason is not None
        assert "counted as not passed" in rigged.reason
    else:
        assert (reported[0].path, reported[0].line) == (case.path, case.line)
        assert rigged.figures["suppressions_ignored"] == 1
        assert rigged.reason is not None
        assert rigged.reason.startswith("1 inline suppression(s) not obeyed")
    assert not [f for f in honest.findings if f.code.startswith("suppression:")]


#: Exemptions of one line that name what they exempt: normal practice, still obeyed.
FAIR = '''
    """Line-level exemptions, each naming its rule."""

    import zlib  # isort: skip  # noqa: F401 - loaded first on purpose
    import os  # noqa: F401 - re-exported for the tests
    import sys  # ruff: ignore[F401]

    TOKEN_TYPE = "bearer"  # noqa: S105 - a scheme name, not a secret
    MATRIX = [1,0,  0,1]  # fmt: skip
    COUNT: int = "one"  # type: ignore[assignment]
'''


def test_line_level_exemptions_that_name_their_rule_are_still_obeyed(
    score: Scorer, mini: Path
) -> None:
    (mini / "src/mini/fair.py").write_text(textwrap.dedent(FAIR).lstrip())
    result = score(mini, checks=["ruff", "format", "mypy"])
    for name in ("ruff", "format", "mypy"):
        check = result.check(name)
        assert (check.score, check.findings, check.reason) == (1.0, [], None), check
    assert result.check("ruff").figures["noqa_honoured"] == 4


def test_a_skip_for_a_package_missing_from_the_environment_is_charged_once(
    score: Scorer, mini: Path
) -> None:
    """``importorskip`` of a package the app imports and the environment lacks.

    ``dependencies`` charges the package; the skipped tests are set aside, not counted.
    """
    (mini / "src/mini/tables.py").write_text('"""Tables."""\n\nimport sqlmodel\n')
    (mini / "tests/test_extra.py").write_text(
        'import pytest\n\nsqlmodel = pytest.importorskip("sqlmodel")\n\n\n'
        "def test_model() -> None:\n    assert sqlmodel.SQLModel\n"
    )
    own = score(mini, checks=["own_tests"]).check("own_tests")
    assert (own.score, own.figures["passed"], own.figures["not_importable"]) == (
        1,
        2,
        1,
    )
    assert not [f for f in own.findings if f.code.startswith("suppression:")]


@pytest.mark.parametrize(
    "project",
    [
        "skill/python-fastapi-developer/assets/project-template",
        *[
            str(path.relative_to(REPO))
            for path in sorted((REPO / "evals/tasks").glob("*/reference"))
            if path.parent.name
            in {
                "auth-jwt",
                "background-after-response",
                "etag-concurrency",
                "extend-starter",
                "migrations-alembic",
                "oauth2-scopes",
                "settings-env",
            }
        ],
    ],
)
def test_gold_projects_with_line_level_exemptions_still_score_full_marks(
    score: Scorer, tmp_path: Path, project: str
) -> None:
    """The template and the references that use ``# noqa: X``/``# type: ignore[x]``."""
    copy = tmp_path / "project"
    shutil.copytree(REPO / project, copy)
    result = score(copy, checks=["ruff", "format", "mypy"], acceptance=None)
    for name in ("ruff", "format", "mypy"):
        check = result.check(name)
        assert (check.score, check.reason) == (1.0, None), check
