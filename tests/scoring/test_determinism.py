"""The same project scored twice gives the same result, apart from durations."""

from typing import Any

import pytest

from harness.scoring.results import ProjectScore
from tests.scoring.conftest import FIXTURES, Scorer


def without_durations(score: ProjectScore) -> dict[str, Any]:
    dumped = score.model_dump()
    for check in dumped["checks"]:
        check.pop("duration_s")
    return dumped


@pytest.mark.slow
def test_scoring_twice_is_identical(score: Scorer) -> None:
    project = FIXTURES.parent.parent / "examples" / "bookmarks" / "project"
    acceptance = project.parent / "acceptance"
    first = score(project, acceptance=acceptance)
    second = score(project, acceptance=acceptance)
    assert first.overall == 1.0
    assert without_durations(first) == without_durations(second)


def test_failures_are_deterministic_too(score: Scorer, mini: Any) -> None:
    main = mini / "src/mini/main.py"
    main.write_text(
        main.read_text().replace("min_length=1", "min_length=0") + "import os\n"
    )
    first = score(mini, checks=["ruff", "acceptance"])
    second = score(mini, checks=["ruff", "acceptance"])
    assert first.overall < 1.0
    assert without_durations(first) == without_durations(second)
