"""Helpers of the report tests: synthetic runs, real run folders written in a second."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.support.synthetic import SyntheticRun, synthesize

if TYPE_CHECKING:
    from pathlib import Path

    from harness.run.records import RunManifest, SampleRecord

#: Resamples of the permutation test and bootstrap in tests (the figures the tests check
#: do not depend on them; fewer keeps the suite fast).
RESAMPLES = 999


def make_run(results: Path, **fields: object) -> tuple[RunManifest, list[SampleRecord]]:
    """Write a synthetic run under ``results`` (fields of :class:`SyntheticRun`)."""
    return synthesize(results, SyntheticRun(**fields))  # type: ignore[arg-type]
