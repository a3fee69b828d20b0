"""The validity suite: how often the verdicts err, scenario by scenario, with Monte-Carlo errors.

Each scenario simulates many runs and puts each through the verdict path a real run takes
(:func:`harness.stats.compare.compare_all`: the primary test, the family, confidence
sequences for early stopping); only the figures that are reported but never judged (the
sign-flip p-value, the percentile bootstrap) are skipped, except where their coverage is
measured. Every rate comes with its Monte-Carlo error ``sqrt(r (1 - r) / runs)``; a
scenario is within its nominal rate when ``measured - 2 * MC error <= nominal`` (for a
coverage: ``measured + 2 * MC error >= nominal``).

Scenarios (:data:`SCENARIOS`):

- ``null`` / ``planted``: the ``sim`` model on the real scores, no effect / a planted one;
- ``skewed``: 85% of tasks helped a little, 15% hurt a lot, mean 0 (task means drawn
  directly: every task's effect at one scale, epoch noise about the size of the help);
- ``skewed-sim``: the same through the ``sim`` model's real scores (per-task chances);
- ``multi-3`` / ``multi-5``: 3 and 5 variants against one baseline, none better;
- ``peeking`` / ``peeking-planted``: ``--stop-when-decided`` (a look after every 2 tasks);
  the contrast: a fixed-sample test looked at after every batch;
- ``redrawn`` / ``redrawn-planted``: each run's tasks drawn from the table with
  replacement (the table as a population of tasks).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from statistics import fmean

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import stats as sps

from benchmarks.support.simulate import OutcomeTable, planted_effect, simulate_run
from harness.stats.compare import compare_all
from harness.stats.sequential import batches, task_order
from harness.stats.table import OVERALL, SampleScores, ScoreTable

BASELINE = "none"
ALPHA = 0.05


class Rate(BaseModel):
    """A share of runs with its Monte-Carlo error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hits: int
    runs: int

    @property
    def rate(self) -> float:
        """``hits / runs``."""
        return self.hits / self.runs if self.runs else float("nan")

    @property
    def mc_error(self) -> float:
        """``sqrt(r (1 - r) / runs)``."""
        r = self.rate
        return math.sqrt(r * (1.0 - r) / self.runs) if self.runs else float("nan")

    def show(self) -> str:
        """``2.4% +- 0.2%``."""
        return f"{self.rate:.1%} +- {self.mc_error:.1%}"


class ScenarioResult(BaseModel):
    """What one scenario measured.

    Attributes:
        name: The scenario.
        what: It in words.
        runs: Simulated runs.
        figure: What ``measured`` is (``false better``, ``coverage``...).
        nominal: The rate the procedure promises for it.
        measured: The measured rate.
        within: Whether ``measured`` keeps the promise (module docstring).
        others: Further figures (coverage of the t and bootstrap intervals, the
            contrast a t test or a peeking fixed test gives, power).
        saved: Mean share of samples an early stop saved (peeking scenarios).
        saved_mc: Its Monte-Carlo error.
        seconds: Wall time.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    what: str
    runs: int
    figure: str
    nominal: float
    measured: Rate
    within: bool
    others: dict[str, Rate]
    saved: float | None = None
    saved_mc: float | None = None
    seconds: float


def _tally(flags: list[dict[str, bool]]) -> dict[str, Rate]:
    keys = flags[0].keys() if flags else []
    return {k: Rate(hits=sum(f[k] for f in flags), runs=len(flags)) for k in keys}


def _t_better(d: list[float]) -> bool:
    if len(d) < 2 or np.std(d) == 0:
        return False
    result = sps.ttest_1samp(d, 0.0)
    return bool(result.pvalue < ALPHA and np.mean(d) > 0)


def _differences(table: ScoreTable, variant: str) -> list[float]:
    ours = table.task_means(variant, OVERALL)
    theirs = table.task_means(BASELINE, OVERALL)
    return [ours[t] - theirs[t] for t in sorted(set(ours) & set(theirs))]


def _fixed(
    table: ScoreTable,
    truth: float,
    seed: int,
    resamples: int,
    *,
    reported: bool = False,
) -> dict[str, bool]:
    variants = [v for v in table.variants if v != BASELINE]
    items = compare_all(
        table,
        variants,
        BASELINE,
        [OVERALL],
        alpha=ALPHA,
        seed=seed,
        n_resamples=resamples,
        reported=reported,
    )
    flags = {
        "false better": truth <= 0 and any(i.verdict == "better" for i in items),
        "false call": truth == 0
        and any(i.verdict in {"better", "worse"} for i in items),
        "covers": all(i.holm_ci is not None and i.holm_ci.covers(truth) for i in items),
        "better": any(i.verdict == "better" for i in items),
        "t false better": truth <= 0
        and any(_t_better(_differences(table, v)) for v in variants),
    }
    if reported:
        item = items[0]
        flags["t covers"] = item.test.ci is not None and item.test.ci.covers(truth)
        boot = item.test.bootstrap_ci
        flags["bootstrap covers"] = boot is not None and boot.covers(truth)
    return flags


def _sequential(
    table: ScoreTable, truth: float, seed: int, resamples: int
) -> dict[str, bool | float]:
    """``--stop-when-decided`` on one run: a look every 2 tasks, stop when settled."""
    order = task_order(table.tasks, seed)
    prefix: list[str] = []
    flags: dict[str, bool | float] = {"peek t false better": False}
    item = None
    for batch in batches(order, 2):
        prefix += batch
        sub = ScoreTable(samples=[s for s in table.samples if s.task in set(prefix)])
        if truth <= 0 and _t_better(_differences(sub, "skill")):
            flags["peek t false better"] = True
        item = compare_all(
            sub,
            ["skill"],
            BASELINE,
            [OVERALL],
            alpha=ALPHA,
            seed=seed,
            n_resamples=resamples,
            reported=False,
            order=prefix,
            anytime=True,
            planned_tasks=len(order),
        )[0]
        if item.verdict in {"better", "worse"}:
            break
    assert item is not None
    flags["false better"] = truth <= 0 and item.verdict == "better"
    flags["covers"] = item.holm_ci is not None and item.holm_ci.covers(truth)
    flags["better"] = item.verdict == "better"
    flags["saved"] = 1.0 - len(prefix) / len(order)
    return flags


def _skewed_direct(rng: np.random.Generator, tasks: int, epochs: int) -> ScoreTable:
    """Task means drawn directly: 85% of tasks +0.02, 15% -0.113 (mean 0), noise 0.03."""
    samples = []
    for t in range(tasks):
        level = float(rng.uniform(0.6, 0.85))
        effect = -0.02 * 85 / 15 if rng.random() < 0.15 else 0.02
        for variant, mean in ((BASELINE, level), ("skill", level + effect)):
            for e, x in enumerate(rng.normal(mean, 0.03, epochs)):
                samples.append(
                    SampleScores(
                        task=f"t{t:02d}",
                        variant=variant,
                        epoch=e,
                        checks={OVERALL: float(np.clip(x, 0.0, 1.0))},
                    )
                )
    return ScoreTable(samples=samples)


def _skew_chances(outcomes: OutcomeTable, rng: np.random.Generator) -> dict[str, float]:
    """Per task: gold chance 0.6 + 0.106 (85%) or 0.6 - 0.6 (15%): mean effect 0."""
    return {
        name: 0.0 if rng.random() < 0.15 else 0.6 + 0.6 * 15 / 85
        for name in outcomes.root
    }


Draw = Callable[[np.random.Generator], tuple[ScoreTable, float]]


def _draw(name: str, outcomes: OutcomeTable, epochs: int) -> Draw:
    """How one run of scenario ``name`` is drawn: ``(table, true effect)``."""

    def sim(p_skill: float, p_none: float, *, redraw: bool = False, k: int = 1) -> Draw:
        truth = planted_effect(outcomes, p_skill, p_none)
        arms = {BASELINE: p_none} | {
            ("skill" if k == 1 else f"skill{i}"): p_skill for i in range(k)
        }
        return lambda rng: (
            simulate_run(outcomes, arms, epochs=epochs, rng=rng, resample_tasks=redraw),
            truth,
        )

    if name == "skewed":
        return lambda rng: (_skewed_direct(rng, len(outcomes.root), epochs), 0.0)
    if name == "skewed-sim":
        return lambda rng: (
            simulate_run(
                outcomes,
                {BASELINE: 0.6, "skill": _skew_chances(outcomes, rng)},
                epochs=epochs,
                rng=rng,
            ),
            0.0,
        )
    table = {
        "null": sim(0.6, 0.6),
        "planted": sim(0.8, 0.5),
        "multi-3": sim(0.6, 0.6, k=3),
        "multi-5": sim(0.6, 0.6, k=5),
        "peeking": sim(0.6, 0.6),
        "peeking-planted": sim(0.9, 0.5),
        "redrawn": sim(0.6, 0.6, redraw=True),
        "redrawn-planted": sim(0.8, 0.5, redraw=True),
    }
    return table[name]


#: Each scenario: what it is, the figure judged, its nominal rate.
SCENARIOS: dict[str, tuple[str, str, float]] = {
    "null": ("no effect (sim, p 0.6 vs 0.6)", "false better", ALPHA / 2),
    "planted": ("planted effect (sim, p 0.8 vs 0.5)", "coverage", 1 - ALPHA),
    "skewed": ("85% helped +0.02, 15% hurt -0.113, mean 0", "false better", ALPHA / 2),
    "skewed-sim": ("the same skew through the sim model", "false better", ALPHA / 2),
    "multi-3": ("3 variants vs one baseline, none better", "false better", ALPHA / 2),
    "multi-5": ("5 variants vs one baseline, none better", "false better", ALPHA / 2),
    "peeking": ("--stop-when-decided, no effect", "false better", ALPHA / 2),
    "peeking-planted": ("--stop-when-decided, p 0.9 vs 0.5", "coverage", 1 - ALPHA),
    "redrawn": ("tasks redrawn per run, no effect", "false better", ALPHA / 2),
    "redrawn-planted": ("tasks redrawn per run, p 0.8 vs 0.5", "coverage", 1 - ALPHA),
}


def _chunk(
    args: tuple[str, OutcomeTable, int, int, int, int],
) -> list[dict[str, bool | float]]:
    name, outcomes, epochs, runs, seed, resamples = args
    rng = np.random.default_rng(seed)
    draw = _draw(name, outcomes, epochs)
    out: list[dict[str, bool | float]] = []
    for run in range(runs):
        table, truth = draw(rng)
        if name.startswith("peeking"):
            out.append(_sequential(table, truth, seed + run, resamples))
        else:
            flags = _fixed(
                table, truth, seed + run, resamples, reported=name == "planted"
            )
            out.append(dict(flags))
    return out


def run_scenario(
    name: str,
    outcomes: OutcomeTable,
    *,
    runs: int,
    epochs: int = 3,
    seed: int = 2026,
    resamples: int = 9999,
    workers: int = 1,
) -> ScenarioResult:
    """Simulate ``runs`` runs of scenario ``name`` and measure its error rates."""
    started = time.perf_counter()
    what, figure, nominal = SCENARIOS[name]
    chunks = max(1, workers * 4)
    sizes = [runs // chunks + (i < runs % chunks) for i in range(chunks)]
    jobs = [
        (name, outcomes, epochs, size, seed + 1_000_003 * i, resamples)
        for i, size in enumerate(sizes)
        if size
    ]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            rows = [row for part in pool.map(_chunk, jobs) for row in part]
    else:
        rows = [row for job in jobs for row in _chunk(job)]
    saved = [float(r.pop("saved")) for r in rows if "saved" in r]
    tally = _tally([{k: bool(v) for k, v in r.items()} for r in rows])
    key = "covers" if figure == "coverage" else "false better"
    measured = tally.pop(key)
    if figure == "coverage":
        within = measured.rate + 2 * measured.mc_error >= nominal
    else:
        within = measured.rate - 2 * measured.mc_error <= nominal
    dropped: tuple[str, ...] = ("covers",)
    if figure == "coverage":  # an effect is planted: no call is a false one
        dropped = (
            "false better",
            "false call",
            "t false better",
            "peek t false better",
        )
    else:
        tally.pop("better", None)
    for unused in dropped:
        tally.pop(unused, None)
    return ScenarioResult(
        name=name,
        what=what,
        runs=len(rows),
        figure=figure,
        nominal=nominal,
        measured=measured,
        within=within,
        others=tally,
        saved=fmean(saved) if saved else None,
        saved_mc=float(np.std(saved, ddof=1) / math.sqrt(len(saved)))
        if len(saved) > 1
        else None,
        seconds=time.perf_counter() - started,
    )


__all__ = ["SCENARIOS", "Rate", "ScenarioResult", "run_scenario"]
