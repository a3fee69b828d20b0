"""What each part of the skill is worth: effects per probe and kind, headroom, flips.

``summary.json`` carries two versioned blocks built here from the run's files only:

- ``parts`` (:class:`PartsReport`): per compared variant, the random-effects fit over
  tasks (:mod:`harness.stats.hierarchy`: the spread ``tau`` of the effect, shrunken
  per-task effects, the chance a new task benefits), the effect on the tasks of each
  probe and of each kind (:mod:`harness.stats.strata`, Holm over the probes and over the
  kinds), with a plain reading per probe (what a skill author does next), and the tests
  and rules that flipped per task (:mod:`harness.report.flips`);
- ``headroom`` (:class:`HeadroomReport`): each arm's distance to gold and each variant's
  normalised gain (:mod:`harness.stats.headroom`).

Both are about the overall score (the primary endpoint). The probe catalogue
(``evals/probes.toml``) says where the skill teaches each probe.
"""

from __future__ import annotations

from statistics import fmean
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.report.flips import TaskFlips, run_flips
from harness.stats import OVERALL
from harness.stats.headroom import (
    ArmHeadroom,
    NormalisedGain,
    arm_headroom,
    normalised_gain,
)
from harness.stats.hierarchy import EffectSpread, fit_effects
from harness.stats.strata import GroupEffect, group_effects

if TYPE_CHECKING:
    from collections.abc import Sequence

    from harness.run.records import RunManifest, SampleRecord
    from harness.stats import RunStats, ScoreTable
    from harness.tasks.probes import ProbeCatalog

#: Version of the ``parts`` and ``headroom`` blocks of ``summary.json``.
PARTS_VERSION: Literal[1] = 1
#: The name of the group of tasks that probe no rule.
CONTROLS = "(no probe: controls)"
#: An arm this close to gold on a group's tasks has no room left to show an effect.
AT_GOLD = 0.005
#: A skill arm this far below gold on a probe's tasks, without a clear gain, means the
#: section is worth editing: on the overall score about one failing hidden test in
#: twenty (acceptance weighs 0.45).
EDIT_GAP = 0.02
#: How many probes the "edit next" list names.
EDIT_NEXT = 3

Action = Literal["fix", "edit", "keep", "add-tasks", "no-headroom", "unclear", "none"]

CAVEAT = (
    "Probes overlap (a task probes several rules) and the skill acts as a whole: a "
    "probe's effect is the skill's effect on the tasks that probe it, not proof that its "
    "section caused it; compare it with the control tasks, which probe no rule."
)


class ProbeRow(BaseModel):
    """The effect on the tasks of one probe, and what it means for the skill's author.

    Attributes:
        probe: The probe id (or :data:`CONTROLS`).
        summary: What a correct project does (from the catalogue).
        section: Where the skill teaches it (``SKILL.md#gotchas``).
        conformance_rule: The conformance rule that checks it, if any.
        effect: The group's effect (estimate, interval, Holm-adjusted p, shrunken).
        baseline_gap: The baseline's mean distance to gold on these tasks.
        variant_gap: The variant's.
        action: ``fix`` (hurts), ``edit`` (no clear gain and the skill arm still
            :data:`EDIT_GAP` or more below gold), ``keep`` (helps),
            ``add-tasks`` (too few tasks), ``no-headroom`` (both arms at gold),
            ``unclear`` or ``none`` (no task).
        reading: The row in one plain sentence.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    probe: str
    summary: str | None = None
    section: str | None = None
    conformance_rule: str | None = None
    effect: GroupEffect
    baseline_gap: float | None
    variant_gap: float | None
    action: Action
    reading: str


class VariantParts(BaseModel):
    """Everything per part of the skill for one variant against the baseline.

    Attributes:
        variant: The variant.
        spread: The random-effects fit over tasks.
        probes: One row per probe (and the controls), ordered by what to do: fix,
            edit, keep, unclear, add tasks, no headroom.
        kinds: The effect per kind of task (``greenfield``, ``extend``, ``fix``).
        edit_next: Up to three sentences: the sections to edit first, and why.
        flips: Per task, the tests and rules that flipped.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str
    spread: EffectSpread
    probes: list[ProbeRow]
    kinds: list[GroupEffect]
    edit_next: list[str]
    flips: list[TaskFlips]

    def task_flips(self, task: str) -> TaskFlips | None:
        """The flips of one task, if it has any record in both arms."""
        return next((f for f in self.flips if f.task == task), None)


class PartsReport(BaseModel):
    """``summary.json``'s ``parts`` block.

    Attributes:
        version: Version of this block.
        check: The check analysed (``overall``).
        baseline: The baseline.
        alpha: Family-wise level of the probe and kind calls.
        edit_gap: Distance to gold that makes a probe without a clear gain worth
            editing.
        caveat: How to read a probe's effect.
        variants: One entry per compared variant.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = PARTS_VERSION
    check: str
    baseline: str
    alpha: float
    edit_gap: float = EDIT_GAP
    caveat: str = CAVEAT
    variants: list[VariantParts] = Field(default_factory=list)


class HeadroomReport(BaseModel):
    """``summary.json``'s ``headroom`` block (overall score; gold is 1.0).

    Attributes:
        version: Version of this block.
        check: The check (``overall``).
        arms: Each arm's distance to gold, baseline first.
        gains: Each variant's normalised gain over the baseline.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = PARTS_VERSION
    check: str
    arms: list[ArmHeadroom]
    gains: list[NormalisedGain]


def _gap(by_task: dict[str, list[float]], tasks: Sequence[str]) -> float | None:
    values = [fmean(by_task[t]) for t in tasks if by_task.get(t)]
    return 1.0 - fmean(values) if values else None


def _read(row: ProbeRow, alpha: float) -> tuple[Action, str]:
    """The action and its sentence (the figures are in the row's other columns)."""
    e = row.effect
    where = row.section or "the skill"
    if not e.tasks or e.estimate is None:
        return "none", "no task of this run has both arms scored"
    called = e.holm_p_value is not None and e.holm_p_value <= alpha
    few = f"; rests on {len(e.tasks)} task(s)" if e.small else ""
    gap = row.variant_gap or 0.0
    if called and e.estimate < 0:
        return "fix", f"hurts these tasks{few}: revise {where}"
    if called:
        left = f"; still {gap:.3f} below gold" if gap >= EDIT_GAP else ""
        return "keep", f"helps{few}{left}"
    if (row.baseline_gap or 0.0) < AT_GOLD and gap < AT_GOLD:
        return "no-headroom", (
            "no headroom: both arms reach gold here, so these tasks cannot show the "
            "rule's worth (make them harder)"
        )
    if e.small:
        return (
            "add-tasks",
            f"too few tasks to tell ({len(e.tasks)}): add tasks that probe it",
        )
    if gap >= EDIT_GAP:
        return (
            "edit",
            f"no clear gain and still {gap:.3f} below gold with the skill: edit {where}",
        )
    return "unclear", f"no clear difference; little left to gain ({gap:.3f} below gold)"


_ORDER: dict[Action, int] = {
    "fix": 0,
    "edit": 1,
    "keep": 2,
    "unclear": 3,
    "add-tasks": 4,
    "no-headroom": 5,
    "none": 6,
}


def _edit_next(rows: Sequence[ProbeRow]) -> list[str]:
    chosen = [r for r in rows if r.action == "fix"]
    chosen += sorted(
        (r for r in rows if r.action == "edit" and r.probe != CONTROLS),
        key=lambda r: -(r.variant_gap or 0.0),
    )
    out = []
    for row in chosen[:EDIT_NEXT]:
        where = row.section or "the skill"
        why = (
            "the skill hurts these tasks"
            if row.action == "fix"
            else f"{len(row.effect.tasks)} tasks still {row.variant_gap:.3f} below gold, "
            "no detectable gain"
        )
        out.append(f"{where}: {row.probe} ({why})")
    return out


def _probe_rows(
    fit: EffectSpread,
    manifest: RunManifest,
    catalog: ProbeCatalog | None,
    arms: tuple[dict[str, list[float]], dict[str, list[float]]],
    alpha: float,
) -> list[ProbeRow]:
    groups: dict[str, list[str]] = {}
    for entry in manifest.tasks:
        for probe in entry.probes:
            groups.setdefault(probe, []).append(entry.id)
    controls = [entry.id for entry in manifest.tasks if not entry.probes]
    if controls:
        groups[CONTROLS] = controls
    effects = group_effects(fit, dict(sorted(groups.items())))
    rows = []
    for effect in effects:
        info = catalog.probes.get(effect.group) if catalog is not None else None
        row = ProbeRow(
            probe=effect.group,
            summary=info.summary if info else None,
            section=info.skill if info else None,
            conformance_rule=info.conformance if info else None,
            effect=effect,
            baseline_gap=_gap(arms[1], effect.tasks),
            variant_gap=_gap(arms[0], effect.tasks),
            action="none",
            reading="",
        )
        action, reading = _read(row, alpha)
        rows.append(row.model_copy(update={"action": action, "reading": reading}))
    rows.sort(key=lambda r: (_ORDER[r.action], r.probe == CONTROLS, r.probe))
    return rows


def build_parts(
    manifest: RunManifest,
    records: Sequence[SampleRecord],
    table: ScoreTable,
    stats: RunStats,
    catalog: ProbeCatalog | None,
) -> PartsReport | None:
    """The ``parts`` block of a run (None when it has no overall score to analyse)."""
    if OVERALL not in stats.checks:
        return None
    variants = []
    for variant in stats.variants[1:]:
        ours = table.epoch_scores(variant, OVERALL, stats.missing)
        theirs = table.epoch_scores(stats.baseline, OVERALL, stats.missing)
        fit = fit_effects(ours, theirs, level=1.0 - stats.alpha)
        if fit is None:
            continue
        kinds: dict[str, list[str]] = {}
        for entry in manifest.tasks:
            kinds.setdefault(entry.kind or "unknown", []).append(entry.id)
        rows = _probe_rows(fit, manifest, catalog, (ours, theirs), stats.alpha)
        variants.append(
            VariantParts(
                variant=variant,
                spread=fit,
                probes=rows,
                kinds=group_effects(fit, dict(sorted(kinds.items()))),
                edit_next=_edit_next(rows),
                flips=run_flips(records, stats.baseline, variant),
            )
        )
    return PartsReport(
        check=OVERALL, baseline=stats.baseline, alpha=stats.alpha, variants=variants
    )


def build_headroom(table: ScoreTable, stats: RunStats) -> HeadroomReport | None:
    """The ``headroom`` block of a run (None without an overall score)."""
    if OVERALL not in stats.checks:
        return None
    scores = {v: table.epoch_scores(v, OVERALL, stats.missing) for v in stats.variants}
    return HeadroomReport(
        check=OVERALL,
        arms=[arm_headroom(v, scores[v]) for v in stats.variants],
        gains=[
            normalised_gain(
                v,
                stats.baseline,
                scores[v],
                scores[stats.baseline],
                level=1.0 - stats.alpha,
                seed=stats.seed,
            )
            for v in stats.variants[1:]
        ],
    )


__all__ = [
    "CONTROLS",
    "EDIT_GAP",
    "PARTS_VERSION",
    "HeadroomReport",
    "PartsReport",
    "ProbeRow",
    "VariantParts",
    "build_headroom",
    "build_parts",
]
