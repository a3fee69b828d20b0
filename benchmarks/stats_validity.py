"""The validity suite: every scenario's error rate against its nominal rate, with MC errors.

Run by hand (about an hour on an idle 2-core machine; start it with ``nice`` and keep
working)::

    uv run python benchmarks/stats_validity.py                 # 4,000 runs per scenario
    uv run python benchmarks/stats_validity.py --smoke         # CI: 60 runs (30 with looks)
    uv run python benchmarks/stats_validity.py --scenarios null,skewed --runs 1000

Scenarios and figures: :mod:`benchmarks.support.validity`. The outcome table is the real
scorer's (``benchmarks/results/sim-outcomes.json``, from ``benchmarks/sim_outcomes.py``);
the smoke mode first checks it is not stale (every task's content hash and the scorer
version as recorded) and fails if it is. A full run writes its table to
``benchmarks/results/stats-validity.json`` and exits 1 when a scenario misses its nominal
rate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.sim_outcomes import DEFAULT_OUT, stale  # noqa: E402
from benchmarks.support.simulate import OutcomeTable  # noqa: E402
from benchmarks.support.validity import SCENARIOS, ScenarioResult, run_scenario  # noqa: E402


def row(result: ScenarioResult) -> str:
    """One Markdown row: scenario, nominal, measured +- MC, the other figures."""
    others = "; ".join(f"{k} {v.show()}" for k, v in result.others.items())
    if result.saved is not None:
        others += f"; samples saved {result.saved:.0%} +- {result.saved_mc or 0:.1%}"
    mark = "yes" if result.within else "**NO**"
    return (
        f"| {result.name}: {result.what} | {result.figure} {result.nominal:.1%} | "
        f"{result.measured.show()} | {mark} | {others} |"
    )


def enumeration_times() -> str:
    """How long the exact sign-flip p-value takes at 20, 33 and 40 tasks (one run)."""
    import numpy as np

    from harness.stats.paired import sign_flip_p_value

    rng = np.random.default_rng(0)
    parts = []
    for n in (20, 33, 40):
        d = rng.normal(0.02, 0.1, n)
        started = time.perf_counter()
        _, exact = sign_flip_p_value(d)
        took = time.perf_counter() - started
        parts.append(f"{n} tasks {1000 * took:.0f} ms{'' if exact else ' (MC)'}")
    return "exact sign-flip enumeration (all 2^n sign vectors): " + ", ".join(parts)


def main() -> int:
    """Run the scenarios; print the table; exit 1 when one misses (not in smoke mode)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="60 runs (30 with looks), 999 resamples"
    )
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--resamples", type=int, default=9999)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--outcomes", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--json", type=Path, default=ROOT / "benchmarks/results/stats-validity.json"
    )
    args = parser.parse_args()
    outcomes = OutcomeTable.model_validate_json(args.outcomes.read_text())
    problems = stale(outcomes)
    if problems:
        print(f"{args.outcomes} is stale:", *problems, sep="\n  ")
        if args.smoke:
            return 1
    runs, resamples = (60, 999) if args.smoke else (args.runs, args.resamples)
    names = [n for n in args.scenarios.split(",") if n]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(
            f"unknown scenario(s) {', '.join(unknown)}: choose from {', '.join(SCENARIOS)}"
        )
        return 2
    print(enumeration_times())
    started = time.perf_counter()
    print(
        f"{runs} runs per scenario, {len(outcomes.root)} tasks x {args.epochs} epochs, "
        f"{resamples} resamples, {args.workers} worker(s)\n"
    )
    print("| scenario | nominal | measured +- MC error | within | other figures |")
    print("|---|---|---|---|---|")
    results = []
    for name in names:
        looks = args.smoke and name.startswith("peeking")
        result = run_scenario(
            name,
            outcomes,
            runs=runs // 2 if looks else runs,
            epochs=args.epochs,
            seed=args.seed,
            resamples=resamples,
            workers=args.workers,
        )
        results.append(result)
        print(row(result), flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if not args.smoke:
        args.json.write_text(
            json.dumps([r.model_dump(mode="json") for r in results], indent=1) + "\n"
        )
    missed = [r.name for r in results if not r.within]
    if missed:
        print(f"outside the nominal rate: {', '.join(missed)}")
    return 0 if args.smoke or not missed else 1


if __name__ == "__main__":
    sys.exit(main())
