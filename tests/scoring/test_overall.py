"""The overall score: the README's weights and its weighted mean of the checks that ran."""

import pytest

from harness.scoring.models import CheckResult, overall_score
from harness.scoring.scorer import DEFAULT_WEIGHTS


def check(name: str, score: float, status: str = "fail") -> CheckResult:
    return CheckResult.model_validate(
        {"name": name, "status": status, "score": score, "duration_s": 0.0}
    )


def test_weights_are_the_readmes() -> None:
    assert DEFAULT_WEIGHTS == {
        "acceptance": 0.45,
        "ruff": 0.15,
        "mypy": 0.15,
        "own_tests": 0.15,
        "format": 0.05,
        "dependencies": 0.05,
        "conformance": 0.0,
    }


def test_weighted_mean_of_the_checks_that_ran() -> None:
    checks = [
        check("acceptance", 0.5),
        check("ruff", 1.0, "pass"),
        check("own_tests", 0.0, "skipped"),  # did not run: left out, not a zero
        check("conformance", 0.0),  # weight 0: reported apart
    ]
    expected = (0.45 * 0.5 + 0.15 * 1.0) / (0.45 + 0.15)
    assert overall_score(checks, DEFAULT_WEIGHTS) == pytest.approx(expected, abs=1e-4)


def test_a_failed_check_counts_as_its_score() -> None:
    checks = [check("acceptance", 1.0, "pass"), check("mypy", 0.0, "error")]
    assert overall_score(checks, DEFAULT_WEIGHTS) == pytest.approx(0.75, abs=1e-4)
