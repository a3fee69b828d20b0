"""The power plan in plain sentences: what ``harness plan RUN`` prints."""

from __future__ import annotations

from harness.stats.planning import PowerPlan, VariantPlan, design_mde
from harness.stats.power import DEFAULT_ALPHA


def _range(low: float | None, high: float | None, fmt: str = ".3f") -> str:
    if low is None:
        return "-"
    text = format(low, fmt)
    if high is not None and format(high, fmt) != text:
        text += f" (up to {format(high, fmt)})"
    return text


def _count(value: int | None) -> str:
    return "more than 100,000" if value is None else str(value)


def variant_lines(item: VariantPlan, baseline: str, bound: str) -> list[str]:
    """One variant's plan: the sd, the MDE, tasks and epochs needed, per check."""
    head = (
        f"{item.variant} vs {baseline}: {item.n_tasks} tasks x {item.epochs:g} epochs"
    )
    if item.sd_diff is None or not item.sd_planning:
        return [f"{head}; the per-task differences show no spread, so no plan."]
    sd = f"sd of the per-task difference {item.sd_diff:.3f}"
    if item.sd_planning > item.sd_diff + 5e-4:
        sd += (
            f" (planning with {item.sd_planning:.3f}: the variance between epochs "
            "alone implies that much)"
        )
    if item.sd_upper is not None:
        sd += f", {bound} {item.sd_upper:.3f}"
    out = [f"{head}; {sd}."]
    between = item.variance.between
    if between is not None and item.between_upper is not None:
        if item.between_upper == 0:
            out.append(
                "  Between-task spread of the effect: 0, and 0 at its upper bound: the "
                "per-task differences vary less than epoch noise alone predicts."
            )
        elif between == 0:
            out.append(
                "  Between-task spread of the effect: estimated 0, but the data allow an "
                f"sd up to {item.between_upper**0.5:.3f} ({bound}); the upper figures "
                "plan with that."
            )
        else:
            out.append(
                f"  Between-task spread of the effect: sd {between**0.5:.3f} "
                f"(up to {item.between_upper**0.5:.3f})."
            )
    if item.alpha < DEFAULT_ALPHA - 1e-12:
        out.append(
            f"  Tested at alpha {item.alpha:.3g} (the first step of its Holm family)."
        )
    if item.mde is not None:
        out.append(
            f"  This run detects differences of {_range(item.mde, item.mde_upper)} "
            "or more."
        )
    out.append(
        f"  Tasks needed at {item.epochs:g} epochs: {_count(item.tasks_needed)}"
        + (
            f" (up to {_count(item.tasks_needed_upper)})."
            if item.tasks_needed_upper != item.tasks_needed
            else "."
        )
    )
    if not item.options:
        out.append("  Run 2 or more epochs to tell what more epochs would buy.")
    elif item.epochs_needed is not None:
        upper = item.epochs_needed_upper
        more = (
            ""
            if upper == item.epochs_needed
            else " (up to more than 1,000)"
            if upper is None
            else f" (up to {upper})"
        )
        out.append(
            f"  Or keep {item.n_tasks} tasks and run {item.epochs_needed} epoch"
            f"{'' if item.epochs_needed == 1 else 's'}{more}."
        )
    else:
        out.append(
            f"  More epochs alone cannot get there with {item.n_tasks} tasks: "
            "the spread between tasks needs more tasks."
        )
    for option in item.options:
        tasks = "-" if option.tasks is None else str(option.tasks)
        if option.tasks_upper is not None and option.tasks_upper != option.tasks:
            tasks += f"-{option.tasks_upper}"
        sds = _range(option.sd, option.sd_upper).replace(" (up to ", "-").rstrip(")")
        out.append(f"    {option.epochs:>2} epochs: {tasks} tasks (sd {sds})")
    if item.checks:
        family = item.checks[0]
        out.append(
            f"  Per check, at the level of the first step of Holm's correction over "
            f"{family.family_size} checks (alpha {family.alpha:.3g}; the exact test needs "
            f"at least {family.min_tasks} tasks to reach it):"
        )
        out += [
            f"    {c.check:<13} detects {_range(c.mde, c.mde_upper)} "
            f"(without the correction {_range(c.mde_unadjusted, None)})"
            for c in item.checks
        ]
    return out


def plan_lines(plan: PowerPlan) -> list[str]:
    """The plan in plain sentences, one per line."""
    bound = f"{plan.sd_confidence:.0%} upper bound"
    out = [
        f"Power plan for {plan.check}: detect a difference of {plan.effect:.3f} with "
        f"{plan.power:.0%} power (two-sided alpha {plan.alpha:g}), tasks as the unit. "
        f"Each figure is given at the estimated sd and, after 'up to', at the sd's "
        f"{bound} (plan with that one to be safe)."
    ]
    for item in plan.variants:
        out += variant_lines(item, plan.baseline, bound)
    return out


def design_lines(
    result: PowerPlan, n_tasks: int, epochs: int, run: str, *, simulated: bool
) -> list[str]:
    """What a planned design (``n_tasks`` x ``epochs``) detects with a run's variance."""
    out = [
        f"Power, with the variance of run {run}"
        + (" (a sim run: the sim's variance, not your model's)" if simulated else "")
        + ":"
    ]
    for item in result.variants:
        low, high = design_mde(item, n_tasks, epochs, result.power)
        if low is None:
            continue
        upper = f" (up to {high:.3f})" if high is not None and high > low + 5e-4 else ""
        out.append(
            f"  {item.variant} vs {result.baseline}: {n_tasks} tasks x {epochs} epochs "
            f"detect {result.check} differences of {low:.3f}{upper} at "
            f"{result.power:.0%} power."
        )
    return out


__all__ = ["design_lines", "plan_lines", "variant_lines"]
