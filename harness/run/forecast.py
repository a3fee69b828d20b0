"""What a run will cost and how long it will take, before it starts (no model is called).

:func:`forecast` takes the configuration ``harness eval`` would run (model, arms, tasks,
epochs, solver, concurrency), the price table, and optionally a stored run, and returns a
:class:`RunForecast`: per arm the tokens and dollars per sample and in total, the hours of
generation and of scoring, and in all the dollars, the wall time and the budget ceiling.

Per task and arm the tokens come from the stored run when it called a real model and has
that task and a matching arm (:meth:`StoredUsage.match_arm`), else from the named
assumption of :func:`harness.run.usage.assumed_tokens`; a task the stored run lacks gets
the arm's mean over the tasks it has. Dollars are the price table's cost of those tokens.
Scoring time comes from the stored run's measured check durations (any model), else the
assumed :data:`~harness.run.usage.SCORING_S`. Wall time assumes generation and scoring
overlap: ``max(generation / max_concurrency, scoring / score_slots)``. The ceiling is what
the run costs if every sample spends its whole token budget (the task's ``limits.tokens``
at the dearest token price, or ``--max-cost`` per sample when lower).
"""

from __future__ import annotations

from statistics import fmean
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from harness.models.base import Usage
from harness.models.pricing import ModelPrice, PriceTable
from harness.models.registry import API_PROVIDERS, parse_spec
from harness.run.usage import (
    SCORING_S,
    StoredUsage,
    TokenUse,
    assumed_generation_s,
    assumed_tokens,
    mean_use,
    one_call,
)
from harness.solvers.base import solver_class

if TYPE_CHECKING:
    from harness.run.config import EvalConfig
    from harness.run.spec import Arm
    from harness.tasks.loader import Task
    from harness.variants import Variant

_HOUR = 3600.0


class ArmForecast(BaseModel):
    """One arm of the planned run.

    Attributes:
        arm: The arm's label.
        variant_spec: Its variant.
        delivery: Its delivery.
        samples: Samples it will run (tasks x epochs).
        tokens: Mean tokens per sample.
        tokens_source: Where the tokens come from, in words.
        cost_per_sample: Mean dollars per sample (``None`` when the model is unpriced).
        cost_usd: Dollars in all.
        ceiling_usd: Dollars if every sample spent its whole budget.
        generation_s: Seconds of generation over all its samples.
        scoring_s: Seconds of scoring over all its samples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    arm: str
    variant_spec: str
    delivery: str
    samples: int
    tokens: TokenUse
    tokens_source: str
    cost_per_sample: float | None
    cost_usd: float | None
    ceiling_usd: float | None
    generation_s: float
    scoring_s: float


class RunForecast(BaseModel):
    """The planned run's cost and time.

    Attributes:
        schema_version: Version of this format (``harness plan --model ... --json``).
        model: The model spec.
        price: The price entry that applies (``None``: unpriced or no model called).
        prices_as_of: The price table's date.
        calls_model: Whether the run calls a model that costs money.
        solver: Who writes each project (``oneshot``, ``loop``, ``claude-code``, ``codex``).
        n_tasks: Tasks.
        epochs: Epochs per task and arm.
        max_concurrency: Samples generating at once.
        score_slots: Samples scoring at once.
        arms: One forecast per arm.
        cost_usd: Dollars in all (``None`` when unpriced).
        ceiling_usd: Dollars if every sample spent its budget.
        wall_s: Estimated wall time.
        generation_source: Where generation times come from.
        scoring_source: Where scoring times come from.
        notes: What the figures leave out, one sentence each.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    model: str
    price: ModelPrice | None
    prices_as_of: str | None
    calls_model: bool
    solver: str
    n_tasks: int
    epochs: int
    max_concurrency: int
    score_slots: int
    arms: list[ArmForecast]
    cost_usd: float | None
    ceiling_usd: float | None
    wall_s: float
    generation_source: str
    scoring_source: str
    notes: list[str]

    @property
    def samples(self) -> int:
        """Samples in all."""
        return sum(arm.samples for arm in self.arms)

    @property
    def generation_s(self) -> float:
        """Seconds of generation over every sample."""
        return sum(arm.generation_s for arm in self.arms)

    @property
    def scoring_s(self) -> float:
        """Seconds of scoring over every sample."""
        return sum(arm.scoring_s for arm in self.arms)


def _usage(use: TokenUse) -> Usage:
    return Usage(
        input_tokens=round(use.input),
        output_tokens=round(use.output),
        cache_read_tokens=round(use.cache_read),
        cache_write_tokens=round(use.cache_write),
    )


def _ceiling(task: Task, use: TokenUse, price: ModelPrice, config: EvalConfig) -> float:
    """Dollars of one sample that spends its whole budget."""
    if one_call(config.solver):  # one call: the prompt and at most max_tokens out
        worst = price.cost(_usage(use.model_copy(update={"output": config.max_tokens})))
    else:
        dearest = max(
            price.input,
            price.output,
            price.cache_read or 0.0,
            price.cache_write or 0.0,
        )
        worst = task.config.limits.tokens * dearest / 1_000_000
    if config.max_cost_usd is not None:
        worst = min(worst, config.max_cost_usd)
    return worst


def _tokens(
    tasks: list[Task],
    arm: Arm,
    variant: Variant,
    stored: StoredUsage | None,
) -> tuple[dict[str, TokenUse], dict[str, float], str]:
    """Per task: tokens and generation seconds of one sample, and the source in words."""
    label = stored.match_arm(arm) if stored is not None and stored.real_model else None
    measured = (
        {
            task: (mean_use(uses), fmean(stored.generation_s[task, label]))
            for (task, arm_label), uses in stored.tokens.items()
            if arm_label == label and uses
        }
        if stored is not None and label is not None
        else {}
    )
    tokens, seconds = {}, {}
    for task in tasks:
        if task.id in measured:
            tokens[task.id], seconds[task.id] = measured[task.id]
        elif measured:
            tokens[task.id] = mean_use([use for use, _ in measured.values()])
            seconds[task.id] = fmean(s for _, s in measured.values())
        else:
            tokens[task.id] = assumed_tokens(task, variant, arm)
            seconds[task.id] = assumed_generation_s(
                tokens[task.id], arm.solver, task.config.limits.turns
            )
    if not measured:
        source = "assumed"
    else:
        found = sum(1 for task in tasks if task.id in measured)
        run = stored.run_id if stored is not None else "?"
        source = (
            f"measured in run {run} (arm {label}) for {found} of {len(tasks)} tasks"
        )
        if found < len(tasks):
            source += "; its mean for the others"
    return tokens, seconds, source


def _scoring(
    tasks: list[Task], stored: StoredUsage | None
) -> tuple[dict[str, float], str]:
    measured = {t: fmean(v) for t, v in stored.scoring_s.items() if v} if stored else {}
    if not measured:
        return {task.id: SCORING_S for task in tasks}, (
            f"assumed {SCORING_S:g} s per sample (benchmarks/eval_bench.py, reference "
            "projects, idle 2-core machine); plan --from a stored run of these tasks to "
            "measure it"
        )
    fallback = fmean(measured.values())
    found = sum(1 for task in tasks if task.id in measured)
    per_task = {task.id: measured.get(task.id, fallback) for task in tasks}
    samples = sum(len(v) for v in stored.scoring_s.values()) if stored else 0
    source = (
        f"measured in run {stored.run_id if stored else '?'} ({samples} scored samples, "
        f"{found} of {len(tasks)} tasks"
        + ("; their mean for the others" if found < len(tasks) else "")
        + f"): {fmean(per_task.values()):.1f} s per sample, the sum of its checks' times"
    )
    return per_task, source


def forecast(
    config: EvalConfig,
    arms: list[tuple[Arm, Variant]],
    tasks: list[Task],
    prices: PriceTable,
    stored: StoredUsage | None = None,
) -> RunForecast:
    """Forecast the cost and time of a run (rules in the module docstring).

    Args:
        config: The run's configuration (model, epochs, solver, concurrency, budgets).
        arms: Its arms with their variants (:func:`harness.run.prepare.resolve_arms`).
        tasks: Its tasks (:func:`harness.run.prepare.resolve_tasks`).
        prices: The price table.
        stored: A stored run's measured figures, if any.

    Returns:
        The forecast.
    """
    provider, name = parse_spec(config.model)
    calls_model = provider in API_PROVIDERS
    price = prices.find(name) if calls_model else None
    scoring, scoring_source = _scoring(tasks, stored)
    epochs = config.epochs
    forecasts = []
    generation_sources = set()
    for arm, variant in arms:
        tokens, seconds, source = _tokens(tasks, arm, variant, stored)
        if not calls_model:
            tokens = {t: TokenUse() for t in tokens}
            source = f"{config.model} calls no model"
        generation_sources.add(source.split(" ", 1)[0])
        costs = ceilings = None
        if price is not None:
            costs = [price.cost(_usage(tokens[t.id])) for t in tasks]
            ceilings = [_ceiling(t, tokens[t.id], price, config) for t in tasks]
        elif not calls_model:
            costs = ceilings = [0.0 for _ in tasks]
        forecasts.append(
            ArmForecast(
                arm=arm.label,
                variant_spec=arm.variant_spec,
                delivery=arm.delivery,
                samples=len(tasks) * epochs,
                tokens=mean_use(list(tokens.values())) if tokens else TokenUse(),
                tokens_source=source,
                cost_per_sample=fmean(costs) if costs else None,
                cost_usd=sum(costs) * epochs if costs is not None else None,
                ceiling_usd=sum(ceilings) * epochs if ceilings is not None else None,
                generation_s=(sum(seconds.values()) if calls_model else 0.0) * epochs,
                scoring_s=sum(scoring[t.id] for t in tasks) * epochs,
            )
        )
    generation = sum(a.generation_s for a in forecasts)
    scored = sum(a.scoring_s for a in forecasts) if config.score else 0.0
    total = [a.cost_usd for a in forecasts]
    ceiling = [a.ceiling_usd for a in forecasts]
    return RunForecast(
        model=config.model,
        price=price,
        prices_as_of=prices.as_of,
        calls_model=calls_model,
        solver=config.solver,
        n_tasks=len(tasks),
        epochs=epochs,
        max_concurrency=config.max_concurrency,
        score_slots=config.score_slots,
        arms=forecasts,
        cost_usd=None if None in total else sum(c or 0.0 for c in total),
        ceiling_usd=None if None in ceiling else sum(c or 0.0 for c in ceiling),
        wall_s=max(
            generation / config.max_concurrency, scored / max(1, config.score_slots)
        ),
        generation_source=(
            "measured with the tokens"
            if generation_sources == {"measured"}
            else "assumed"
            if calls_model
            else "no model call"
        ),
        scoring_source=scoring_source,
        notes=_notes(config, calls_model, price, generation_sources),
    )


def _notes(
    config: EvalConfig,
    calls_model: bool,
    price: ModelPrice | None,
    sources: set[str],
) -> list[str]:
    notes = []
    if calls_model and price is None:
        notes.append(
            f"no price for {config.model} in the price table: add it to a file of your "
            "own (HARNESS_PRICES=FILE, same shape as harness/models/prices.toml)"
        )
    if calls_model and "assumed" in sources:
        notes.append(
            "assumed tokens: the prompt as the harness renders it (4 characters per "
            "token) and a reply the size of each task's gold project (+10%)"
            + (
                f"; {config.solver}: 20 calls (at most the task's turn limit), the context "
                "growing from the prompt to the prompt plus the project, no prompt cache"
                if not one_call(config.solver)
                else ""
            )
            + "; generation at 50 output tokens/s plus 2 s per call. Run a pilot "
            "(e.g. --tasks smoke --epochs 1) and plan --from it for measured figures"
        )
    if not solver_class(config.solver).uses_model_client:
        notes.append(
            f"{config.solver}'s own system prompt and tools are not in assumed tokens; "
            "a stored run of the agent measures them"
        )
    if calls_model:
        notes.append(
            "retries after provider errors, and the response cache (replies already "
            "stored are free), are not counted"
        )
    return notes


def forecast_lines(item: RunForecast) -> list[str]:
    """The forecast in plain lines: a header, one row per arm and the total, the sources."""
    price = item.price
    if price is not None:
        cache = (
            f", cache read ${price.cache_read:g}, write ${price.cache_write:g}"
            if price.cache_read is not None and price.cache_write is not None
            else ""
        )
        priced = (
            f"at ${price.input:g} in / ${price.output:g} out per million tokens{cache}; "
            f"prices as of {item.prices_as_of or '?'}"
        )
    else:
        priced = "unpriced" if item.calls_model else "no model call, no cost"
    out = [
        "Cost and time of this run, before it starts (no model is called):",
        f"  {item.model} {priced}.",
        f"  solver {item.solver}; {item.n_tasks} "
        f"tasks x {len(item.arms)} arms x {item.epochs} epochs = {item.samples} samples; "
        f"{item.max_concurrency} generating at once, {item.score_slots} scoring slot(s).",
        f"  {'arm':<14} {'samples':>7} {'tokens in/out per sample':>26} "
        f"{'$/sample':>9} {'$ total':>9} {'gen h':>6} {'score h':>7}",
    ]

    def money(value: float | None, digits: int) -> str:
        return "?" if value is None else f"{value:.{digits}f}"

    for arm in item.arms:
        tokens = (
            f"{arm.tokens.input + arm.tokens.cache_read + arm.tokens.cache_write:,.0f}"
        )
        tokens += f" / {arm.tokens.output:,.0f}"
        out.append(
            f"  {arm.arm:<14} {arm.samples:>7} {tokens:>26} "
            f"{money(arm.cost_per_sample, 4):>9} {money(arm.cost_usd, 2):>9} "
            f"{arm.generation_s / _HOUR:>6.2f} {arm.scoring_s / _HOUR:>7.2f}"
        )
    out.append(
        f"  {'total':<14} {item.samples:>7} {'':>26} {'':>9} "
        f"{money(item.cost_usd, 2):>9} {item.generation_s / _HOUR:>6.2f} "
        f"{item.scoring_s / _HOUR:>7.2f}"
    )
    out.append(
        f"  Dollars: {money(item.cost_usd, 2)} in all"
        + (
            f"; at most {money(item.ceiling_usd, 2)} if every sample spent its whole "
            "budget"
            if item.calls_model and item.ceiling_usd is not None
            else ""
        )
        + "."
    )
    out.append(
        f"  Wall time: about {item.wall_s / _HOUR:.2f} h (generation and scoring overlap: "
        f"{item.generation_s / _HOUR:.2f} h of generation / {item.max_concurrency} at once, "
        f"{item.scoring_s / _HOUR:.2f} h of scoring / {item.score_slots} slot(s))."
    )
    sources = {arm.tokens_source for arm in item.arms}
    if len(sources) == 1:
        out.append(f"  Tokens: {sources.pop()}.")
    else:
        out += [f"  Tokens, {arm.arm}: {arm.tokens_source}." for arm in item.arms]
    out.append(f"  Generation time: {item.generation_source}.")
    out.append(f"  Scoring time: {item.scoring_source}.")
    out += [f"  Note: {note}." for note in item.notes]
    return out


__all__ = ["ArmForecast", "RunForecast", "forecast", "forecast_lines"]
