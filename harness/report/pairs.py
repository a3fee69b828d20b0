"""The baseline's project against another arm's, per task and epoch: the side-by-side view.

A heat-map cell opens a task with the baseline's sample and another arm's side by side;
beside each sample's own drill-down (:mod:`.detail`: findings, transcript, files against
the reference) it shows :class:`PairDetail`: the two projects diffed file by file, computed
here at render time with difflib and capped like a drill-down (:class:`Caps`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from harness.report.files import Caps, FileView, Reader, between, fit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from harness.run.layout import RunLayout
    from harness.run.records import SampleRecord


class PairDetail(BaseModel):
    """The baseline's sample and another arm's on one task and epoch, diffed.

    Attributes:
        key: ``task/arm/epoch`` of the other arm's sample.
        baseline: ``task/baseline/epoch``, the sample diffed against.
        files: Each file of either project: ``changed`` carries the diff baseline -> arm,
            ``added`` is only in the arm's project, ``missing`` only in the baseline's.
        notes: What was left out to keep the report small.
    """

    model_config = ConfigDict(extra="forbid")

    key: str
    baseline: str
    files: list[FileView] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def _key(record: SampleRecord) -> str:
    spec = record.spec
    return f"{spec.task}/{spec.arm}/{spec.epoch}"


def _files(record: SampleRecord) -> list[str]:
    return list(record.generation.files) if record.generation is not None else []


def pair_detail(
    base: SampleRecord,
    other: SampleRecord,
    layout: RunLayout,
    caps: Caps,
    reader: Reader | None = None,
) -> PairDetail | None:
    """The two samples' projects diffed, or None when either has no workspace."""
    roots = [layout.workspace(r.spec) for r in (base, other)]
    if not all(root.is_dir() and not root.is_symlink() for root in roots):
        return None
    detail = PairDetail(
        key=_key(other),
        baseline=_key(base),
        files=between(
            (roots[0], _files(base)),
            (roots[1], _files(other)),
            (base.spec.arm, other.spec.arm),
            caps,
            reader,
        ),
    )
    used = sum(len(f.text) for f in detail.files)
    if used > caps.budget:
        _, dropped = fit(detail.files, used, caps.budget)
        detail.notes.append(
            f"{dropped} diff(s) left out to keep the report small: compare "
            f"{layout.workspace(base.spec).relative_to(layout.root)} with "
            f"{layout.workspace(other.spec).relative_to(layout.root)}"
        )
    return detail


def pair_details(
    records: Sequence[SampleRecord],
    baseline: str,
    layout: RunLayout,
    caps: Caps,
    reader: Reader | None = None,
) -> list[PairDetail]:
    """Every (task, arm, epoch) with both the baseline's and the arm's project stored."""
    by_key = {(r.spec.task, r.spec.arm, r.spec.epoch): r for r in records}
    out = []
    for (task, arm, epoch), record in sorted(by_key.items()):
        base = by_key.get((task, baseline, epoch))
        if arm == baseline or base is None:
            continue
        detail = pair_detail(base, record, layout, caps, reader)
        if detail is not None:
            out.append(detail)
    return out


__all__ = ["PairDetail", "pair_detail", "pair_details"]
