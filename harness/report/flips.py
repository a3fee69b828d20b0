"""Which hidden acceptance tests and conformance rules flipped between two arms, per task.

Read from the stored scores' findings: an acceptance test failed in a sample when the
acceptance check lists it (``failed`` or ``error``); it passed when the check ran its tests
(status ``pass`` or ``fail``, no collection error, no finding left out) and does not list
it. A sample whose acceptance tests did not all run (the app did not start, a collection
error, a crash) says nothing about single tests and is counted apart as ``unknown``. A
conformance rule's status per sample is its figure ``rule:<id>`` (``pass``, ``fail``;
``n/a`` does not count).

A test or rule **flipped** when it fails in most counted samples of one arm and in fewer
than half of the other's: ``fixed`` when the variant is the arm where it passes,
``broken`` otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from collections.abc import Iterable

    from harness.run.records import SampleRecord
    from harness.scoring.models import CheckResult

FlipKind = Literal["acceptance", "conformance"]


class Flip(BaseModel):
    """One test or rule whose outcome differs between the arms on one task.

    Attributes:
        kind: ``acceptance`` (a hidden test) or ``conformance`` (a skill rule).
        name: The test's node id or the rule's id.
        direction: ``fixed`` (fails in the baseline, passes with the variant) or
            ``broken``.
        baseline_failed: Counted baseline samples where it failed.
        baseline_runs: Counted baseline samples.
        variant_failed: Counted variant samples where it failed.
        variant_runs: Counted variant samples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FlipKind
    name: str
    direction: Literal["fixed", "broken"]
    baseline_failed: int
    baseline_runs: int
    variant_failed: int
    variant_runs: int


class TaskFlips(BaseModel):
    """The flips of one task.

    Attributes:
        task: The task.
        flips: Tests and rules that flipped, ``broken`` first.
        unknown_baseline: Baseline samples whose acceptance tests did not all run.
        unknown_variant: The same for the variant.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str
    flips: list[Flip]
    unknown_baseline: int
    unknown_variant: int


#: Outcome counts: (kind, name) -> [failed, runs].
_Counts = dict[tuple[FlipKind, str], list[int]]


def _acceptance_outcomes(check: CheckResult) -> set[str] | None:
    """The failing tests of one sample, or ``None`` when its tests did not all run."""
    if check.status not in {"pass", "fail"} or check.findings_omitted:
        return None
    if any(f.code == "collection-error" for f in check.findings):
        return None
    return {f.path for f in check.findings if f.code in {"failed", "error"} and f.path}


def _count(records: Iterable[SampleRecord]) -> tuple[_Counts, int, int]:
    """Failures and runs of every test and rule over some samples of one task and arm.

    Returns:
        ``(counts, samples whose acceptance tests all ran, samples where they did not)``.
    """
    failing: list[set[str]] = []
    counts: _Counts = defaultdict(lambda: [0, 0])
    unknown = 0
    for record in records:
        if record.infra_failed or record.score is None:
            continue
        for check in record.score.checks:
            if check.name == "acceptance":
                outcome = _acceptance_outcomes(check)
                if outcome is None:
                    unknown += 1
                else:
                    failing.append(outcome)
            elif check.name == "conformance" and check.status != "skipped":
                for key, value in check.figures.items():
                    if key.startswith("rule:") and value in {"pass", "fail"}:
                        cell = counts["conformance", key.removeprefix("rule:")]
                        cell[0] += value == "fail"
                        cell[1] += 1
    for name in set().union(*failing) if failing else set():
        counts["acceptance", name] = [sum(name in f for f in failing), len(failing)]
    # A test that failed nowhere is absent; only tests seen failing can flip.
    return counts, len(failing), unknown


def _mostly(failed: int, runs: int) -> bool:
    return runs > 0 and 2 * failed > runs


def task_flips(
    task: str,
    baseline: Iterable[SampleRecord],
    variant: Iterable[SampleRecord],
) -> TaskFlips:
    """The tests and rules of one task that flipped between ``baseline`` and ``variant``.

    Args:
        task: The task.
        baseline: The baseline arm's records of this task.
        variant: The variant arm's records of this task.

    Returns:
        The flips (rules in the text of the module docstring).
    """
    ours, ran_v, unknown_v = _count(variant)
    theirs, ran_b, unknown_b = _count(baseline)
    flips = []
    for key in sorted(set(ours) | set(theirs)):
        kind, name = key
        if kind == "acceptance":  # a test absent from an arm passed in all its runs
            v = ours.get(key, [0, ran_v])
            b = theirs.get(key, [0, ran_b])
        else:
            v, b = ours.get(key, [0, 0]), theirs.get(key, [0, 0])
        if not (v[1] and b[1]) or _mostly(*v) == _mostly(*b):
            continue
        flips.append(
            Flip(
                kind=kind,
                name=name,
                direction="broken" if _mostly(*v) else "fixed",
                baseline_failed=b[0],
                baseline_runs=b[1],
                variant_failed=v[0],
                variant_runs=v[1],
            )
        )
    flips.sort(key=lambda f: (f.direction != "broken", f.kind, f.name))
    return TaskFlips(
        task=task,
        flips=flips,
        unknown_baseline=unknown_b,
        unknown_variant=unknown_v,
    )


def run_flips(
    records: Iterable[SampleRecord], baseline: str, variant: str
) -> list[TaskFlips]:
    """Per task (sorted), the flips between two arms of a run."""
    by_key: dict[tuple[str, str], list[SampleRecord]] = defaultdict(list)
    for record in records:
        by_key[record.spec.task, record.spec.arm].append(record)
    tasks = sorted({task for task, _ in by_key})
    return [
        task_flips(
            task, by_key.get((task, baseline), []), by_key.get((task, variant), [])
        )
        for task in tasks
        if (task, baseline) in by_key and (task, variant) in by_key
    ]


__all__ = ["Flip", "TaskFlips", "run_flips", "task_flips"]
