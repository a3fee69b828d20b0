"""The one check registry: every check listed once, with its weight, version and formula."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.scoring.scorer import (
    CHECK_VERSIONS,
    CHECKS,
    DEFAULT_WEIGHTS,
    select_checks,
)


def test_each_check_is_listed_once_with_its_facts() -> None:
    names = [check.name for check in CHECKS]
    assert len(names) == len(set(names))
    assert {check.name: check.weight for check in CHECKS} == DEFAULT_WEIGHTS
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    for check in CHECKS:
        assert check.version.isdigit(), check.name
        assert len(check.formula) > 20, check.name
    # A selection runs in the registry's order, whatever order it was given in.
    assert select_checks(["acceptance", "ruff"]) == ["ruff", "acceptance"]
    with pytest.raises(UsageError, match="unknown check pylint: choose from ruff"):
        select_checks(["pylint"])


@pytest.mark.slow
def test_every_result_records_its_checks_version(mini: Path, score) -> None:
    result = score(mini, checks=["ruff", "format", "dependencies"])
    assert {c.name: c.version for c in result.checks} == {
        name: CHECK_VERSIONS[name] for name in ("ruff", "format", "dependencies")
    }
