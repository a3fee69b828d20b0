"""Benchmark ``harness eval`` end to end, offline: per-sample time, overhead, 2-slot speed-up.

Run by hand (minutes on a 2-core machine)::

    uv run python benchmarks/eval_bench.py             # reference, every task, 2 variants, 3 epochs
    uv run python benchmarks/eval_bench.py --smoke     # the smoke suite, 1 epoch (CI)

Each configuration runs twice in one session, with 1 and with 2 scoring slots, in fresh
run folders. Figures:

* total and per-sample wall time;
* the share of time spent outside the checks themselves (orchestration: planning,
  generation bookkeeping, workspaces, records, the scheduler), from the 1-slot run:
  ``1 - sum(check durations) / wall`` (target under 10%);
* the speed-up of 2 slots over 1 (target 1.8x), both runs measured in this session.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.run.config import EvalConfig  # noqa: E402
from harness.run.eval import run_eval  # noqa: E402
from harness.run.prepare import start_run  # noqa: E402

SKILL = "skill=path:skill/python-fastapi-developer"


def timed_run(config: EvalConfig) -> tuple[float, float, int]:
    """Run ``config``; return wall seconds, summed check seconds and the sample count."""
    started = time.monotonic()
    outcome = run_eval(start_run(config))
    wall = time.monotonic() - started
    checks = sum(
        check.duration_s
        for record in outcome.records
        if record.score is not None
        for check in record.score.checks
    )
    return wall, checks, len(outcome.records)


def main() -> int:
    """Run the configurations and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="Smoke suite, 1 epoch.")
    parser.add_argument("--model", default="reference", help="reference or sim.")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--tasks", default="full")
    args = parser.parse_args()
    tasks, epochs = ("smoke", 1) if args.smoke else (args.tasks, args.epochs)
    out = Path(tempfile.mkdtemp(prefix="eval-bench-"))
    figures: dict[int, tuple[float, float, int]] = {}
    try:
        for slots in (1, 2):
            config = EvalConfig(
                model=args.model,
                variants=["none", SKILL],
                tasks=[tasks],
                epochs=epochs,
                score_slots=slots,
                max_concurrency=4,
                results_dir=out,
                run_id=f"slots-{slots}",
                sim=["skill=0.8", "none=0.5"] if args.model == "sim" else [],
            )
            figures[slots] = timed_run(config)
            wall, checks, samples = figures[slots]
            print(
                f"{args.model}, {tasks}, {epochs} epoch(s), {slots} slot(s): {samples} samples "
                f"in {wall:.1f} s ({wall / samples:.2f} s/sample); checks {checks:.1f} s"
            )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    wall1, checks1, _ = figures[1]
    wall2, _, _ = figures[2]
    overhead = 1 - checks1 / wall1
    print(
        f"orchestration overhead (1 slot): {overhead:.1%} of wall time (target < 10%)"
    )
    print(f"speed-up of 2 slots over 1: {wall1 / wall2:.2f}x (target 1.8x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
