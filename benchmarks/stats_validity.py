"""Validity of the statistics by simulation of the ``sim`` model: coverage and false wins.

Run by hand (a few minutes on a 2-core machine)::

    uv run python benchmarks/stats_validity.py                      # 500 runs per study
    uv run python benchmarks/stats_validity.py --smoke              # 60 runs, for CI
    uv run python benchmarks/stats_validity.py --outcomes scores.json   # real gold/mutant scores

Two studies, each of ``--runs`` simulated runs of ``--tasks`` tasks x ``--epochs`` epochs x 2
variants, every run analysed exactly as a real one (:func:`harness.stats.analyze`):

* planted effect (``--p-variant`` vs ``--p-baseline``): the share of runs whose 95% t interval,
  and whose bootstrap interval, covers the true expected paired difference. Target 93-97%.
* no effect (both at ``--p-null``): the share of runs called a win ("better"). Target <= 5%.

The outcome table (``{task: {"gold": 1.0, "mutants": [...]}}``) is synthetic and seeded unless
``--outcomes`` names the real one (each task's gold and mutants scored once).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.stats.simulate import (  # noqa: E402
    OutcomeTable,
    ValidityReport,
    synthetic_outcomes,
    validity_study,
)

COVERAGE_TARGET = (0.93, 0.97)
FALSE_WIN_TARGET = 0.05


def show(title: str, report: ValidityReport) -> None:
    """Print one study's figures."""
    print(
        f"{title}: {report.runs} runs x {report.tasks} tasks x {report.epochs} epochs, "
        f"p = {report.p_variant} vs {report.p_baseline}, planted effect "
        f"{report.planted_effect:+.4f} ({report.seconds:.1f} s)"
    )
    print(
        f"  95% t interval covers it:         {report.coverage_t:.1%} "
        f"(mean width {report.mean_width_t:.4f})"
    )
    print(
        f"  95% bootstrap interval covers it: {report.coverage_bootstrap:.1%} "
        f"(mean width {report.mean_width_bootstrap:.4f})"
    )
    print(f"  verdict better: {report.better:.1%}   worse: {report.worse:.1%}")


def main() -> int:
    """Run both studies; exit 1 when a full run misses a target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="60 runs, 999 resamples")
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=25, help="synthetic tasks")
    parser.add_argument(
        "--mutants", type=int, default=6, help="mutants per synthetic task"
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--p-variant", type=float, default=0.8)
    parser.add_argument("--p-baseline", type=float, default=0.5)
    parser.add_argument("--p-null", type=float, default=0.6)
    parser.add_argument("--p-empty", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--resamples", type=int, default=9999)
    parser.add_argument(
        "--resample-tasks",
        action="store_true",
        help="draw each run's tasks from the table with replacement",
    )
    parser.add_argument(
        "--outcomes", type=Path, help="JSON outcome table (real scores)"
    )
    args = parser.parse_args()
    runs, resamples = (60, 999) if args.smoke else (args.runs, args.resamples)
    if args.outcomes is not None:
        outcomes = OutcomeTable.model_validate_json(args.outcomes.read_text())
    else:
        outcomes = synthetic_outcomes(args.tasks, args.mutants, seed=args.seed)
    common = {
        "runs": runs,
        "epochs": args.epochs,
        "p_empty": args.p_empty,
        "resample_tasks": args.resample_tasks,
        "n_resamples": resamples,
    }
    planted = validity_study(
        outcomes, args.p_variant, args.p_baseline, seed=args.seed, **common
    )
    show("planted effect", planted)
    null = validity_study(
        outcomes, args.p_null, args.p_null, seed=args.seed + 1, **common
    )
    show("no effect", null)
    low, high = COVERAGE_TARGET
    met = (
        low <= planted.coverage_t <= high
        and low <= planted.coverage_bootstrap <= high
        and null.better <= FALSE_WIN_TARGET
    )
    print(
        f"targets (coverage {low:.0%}-{high:.0%}, false wins <= {FALSE_WIN_TARGET:.0%}): "
        f"{'met' if met else 'MISSED'}{' (smoke: too few runs to judge)' if args.smoke else ''}"
    )
    return 0 if met or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())
