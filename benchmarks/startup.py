"""Start-up of the ``harness`` command, and what one ``harness score`` spends outside its checks.

Run alone (or from ``score_bench.py``, which prints the same figures)::

    uv run python benchmarks/startup.py            # 7 runs of each command
    uv run python benchmarks/startup.py --smoke    # 3 runs, for CI

Each figure is the median wall time of a fresh process, and its CPU time (user + system,
what the wall time is on an idle machine; on a loaded one the wall time grows, the CPU
time hardly). The interpreter's own start, ``python -c pass``, is printed beside them to
read them against. Targets, on an idle machine: ``harness --help`` and a usage error
under 0.5 s; the share of one ``harness score`` of a small project spent outside its
checks (wall time minus the sum of the checks' durations, over the wall time) under 10%.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bookmarks"
HARNESS = [sys.executable, "-m", "harness"]
#: What is timed: a label, the command, and the exit status it must end with.
COMMANDS: list[tuple[str, list[str], int]] = [
    ("python -c pass (the interpreter alone)", [sys.executable, "-c", "pass"], 0),
    ("python -c 'import harness.cli'", [sys.executable, "-c", "import harness.cli"], 0),
    ("harness --help", [*HARNESS, "--help"], 0),
    ("harness score does/not/exist (usage error)", [*HARNESS, "score", "nope/x"], 2),
    ("harness eval --epochs 0 (usage error)", [*HARNESS, "eval", "--epochs", "0"], 2),
]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], status: int) -> tuple[float, float]:
    """Wall and CPU seconds one run of ``argv`` takes, as a whole process."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != status:
        msg = f"{argv} exited {done.returncode}, not {status}: {done.stderr[-400:]!r}"
        raise RuntimeError(msg)
    return elapsed, _children_cpu() - cpu


def startup(runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of each command of :data:`COMMANDS`, taken in turns."""
    times: dict[str, list[tuple[float, float]]] = {
        label: [] for label, _, _ in COMMANDS
    }
    for _label, argv, status in COMMANDS:  # one warm-up each (OS caches)
        timed(argv, status)
    for _ in range(runs):
        for label, argv, status in COMMANDS:
            times[label].append(timed(argv, status))
    return {
        label: (
            statistics.median(wall for wall, _ in values),
            statistics.median(cpu for _, cpu in values),
        )
        for label, values in times.items()
    }


def outside_share(runs: int) -> tuple[float, float, float]:
    """One ``harness score`` of the bookmarks example, ``runs`` times (after a warm-up).

    Returns:
        The medians of the wall time, of the checks' summed durations, and of the share
        of the wall time spent outside the checks.
    """
    walls, checks, shares = [], [], []
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as scratch:
        out = Path(scratch) / "score.json"
        argv = [
            *HARNESS, "score", str(EXAMPLE / "project"),
            "--acceptance", str(EXAMPLE / "acceptance"), "--json", str(out), "-q",
        ]  # fmt: skip
        timed(argv, 0)  # builds nothing new, warms the caches
        for _ in range(runs):
            wall, _ = timed(argv, 0)
            inside = sum(c["duration_s"] for c in json.loads(out.read_text())["checks"])
            walls.append(wall)
            checks.append(inside)
            shares.append((wall - inside) / wall)
    return (
        statistics.median(walls),
        statistics.median(checks),
        statistics.median(shares),
    )


def report(runs: int, score_runs: int) -> None:
    """Measure and print the start-up figures and the outside-the-checks share."""
    figures = startup(runs)
    base_wall, base_cpu = figures[COMMANDS[0][0]]
    print(f"start-up, median of {runs} fresh processes:")
    print(f"  {'':<44} {'wall s':>7} {'cpu s':>7}  (wall / python's own start)")
    for label, (wall, cpu) in figures.items():
        print(f"  {label:<44} {wall:7.3f} {cpu:7.3f}  ({wall / base_wall:4.1f}x)")
    print(
        "  targets on an idle machine (wall = cpu there): --help and a usage error "
        f"< 0.5 s; python's own start here: {base_cpu:.3f} s of cpu"
    )
    wall, inside, share = outside_share(score_runs)
    print(
        f"harness score of the bookmarks example (median of {score_runs}): wall {wall:.2f} s, "
        f"checks {inside:.2f} s, outside the checks {wall - inside:.2f} s = {share:.1%} "
        "of the wall time (target < 10%)"
    )


def main() -> None:
    """Run the start-up benchmark alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 runs, quick")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    report(3 if args.smoke else args.runs, 1 if args.smoke else 3)


if __name__ == "__main__":
    main()
