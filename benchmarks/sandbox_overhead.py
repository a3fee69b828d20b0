"""Start-up overhead of the sandbox per command, and its share of a sample's scoring time.

Runs ``python -c pass`` N times directly, through ``Sandbox`` with the ``none`` backend and
through ``Sandbox`` with ``bwrap`` (cgroups included where the machine allows), interleaved so
that background load hits every variant alike, and prints the medians and the overhead.
Then scores ``examples/bookmarks/project`` once in the bwrap sandbox, counts the sandboxed
commands it ran, and prints the sandbox's share of that scoring time.

Usage::

    uv run python benchmarks/sandbox_overhead.py            # 40 iterations + one scoring
    uv run python benchmarks/sandbox_overhead.py --smoke    # 5 iterations, no scoring (CI)
    uv run python benchmarks/sandbox_overhead.py --json out.json

With ``--check``, exit status 1 when a target is missed (median overhead >= 50 ms, or
>= 10 % of the sample's scoring time). Without it the numbers are only printed: on a
loaded 2-core CI machine a median of 5 is noisy, and ``--smoke`` is there to prove the
sandbox starts and to show the order of magnitude.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.sandbox import Sandbox, SandboxRequest

if TYPE_CHECKING:
    from collections.abc import Callable

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "bookmarks"
TARGET_MS = 50.0
TARGET_SHARE = 0.10


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _time(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure_startup(
    environment: EvaluationEnvironment, iterations: int
) -> dict[str, float]:
    """Median seconds of ``python -c pass`` directly, through ``none`` and through ``bwrap``.

    Args:
        environment: The evaluation environment whose interpreter runs.
        iterations: Runs per variant (interleaved).

    Returns:
        Median seconds per variant.
    """
    python = environment.venv / "bin" / "python"
    boxes = {
        "none": Sandbox.create("none", venv=environment.venv, helpers=HELPERS_DIR),
        "bwrap": Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR),
    }
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as workspace:
        request = SandboxRequest(
            argv=["/venv/bin/python", "-c", "pass"], workspace=Path(workspace)
        )
        plain = [str(python), "-c", "pass"]

        def direct() -> None:
            subprocess.run(plain, check=True, env={"PATH": "/usr/bin:/bin"})

        def boxed(box: Sandbox) -> Callable[[], None]:
            def run() -> None:
                result = box.run(request)
                if not result.ok:
                    msg = f"{box.name}: {result}"
                    raise RuntimeError(msg)

            return run

        runners: dict[str, Callable[[], None]] = {
            "direct": direct,
            **{name: boxed(box) for name, box in boxes.items()},
        }
        for runner in runners.values():  # warm the page cache and the imports
            runner()
        samples: dict[str, list[float]] = {name: [] for name in runners}
        for _ in range(iterations):
            for name, runner in runners.items():
                samples[name].append(_time(runner))
    return {name: statistics.median(values) for name, values in samples.items()}


def measure_scoring(environment: EvaluationEnvironment) -> tuple[float, int]:
    """Seconds to score the example project in bwrap, and how many commands that ran.

    Args:
        environment: The evaluation environment.

    Returns:
        Wall seconds of the scoring and the number of sandboxed commands it started.
    """
    from harness.scoring.context import AcceptanceSpec
    from harness.scoring.scorer import score_project

    box = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    commands = 0
    original = box.spawn

    def counting_spawn(request: SandboxRequest) -> object:
        nonlocal commands
        commands += 1
        return original(request)

    box.spawn = counting_spawn  # type: ignore[method-assign,assignment]
    acceptance = AcceptanceSpec(tests_dir=EXAMPLE / "acceptance")
    started = time.perf_counter()
    score_project(
        EXAMPLE / "project", sandbox=box, environment=environment, acceptance=acceptance
    )
    return time.perf_counter() - started, commands


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its numbers; 1 when a target is missed with --check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--iterations", type=int, default=40)
    parser.add_argument(
        "--smoke", action="store_true", help="5 iterations, skip scoring"
    )
    parser.add_argument(
        "--no-score", action="store_true", help="skip the scoring share"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a target is missed"
    )
    args = parser.parse_args(argv)
    iterations = 5 if args.smoke else args.iterations
    environment = EvaluationEnvironment()
    medians = measure_startup(environment, iterations)
    box = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    report: dict[str, object] = {
        "iterations": iterations,
        "sandbox": box.describe(),
        "median_ms": {name: round(value * 1000, 2) for name, value in medians.items()},
    }
    direct = medians["direct"]
    _say(f"sandbox: {box.describe()}")
    _say(f"python -c pass, median of {iterations} (interleaved):")
    failed = False
    for name in ("direct", "none", "bwrap"):
        value = medians[name]
        overhead = (value - direct) * 1000
        ratio = value / direct
        line = f"  {name:7s} {value * 1000:7.1f} ms"
        if name != "direct":
            line += f"   overhead {overhead:+6.1f} ms   ratio {ratio:4.2f}x"
            report[f"{name}_overhead_ms"] = round(overhead, 2)
            report[f"{name}_ratio"] = round(ratio, 3)
        _say(line)
    bwrap_overhead = medians["bwrap"] - direct
    if bwrap_overhead * 1000 >= TARGET_MS:
        failed = True
        _say(f"  MISSED: bwrap overhead >= {TARGET_MS:g} ms")
    if not (args.smoke or args.no_score):
        seconds, commands = measure_scoring(environment)
        share = bwrap_overhead * commands / seconds
        report.update(
            scoring_s=round(seconds, 3), commands=commands, share=round(share, 4)
        )
        _say(
            f"scoring examples/bookmarks/project in bwrap: {seconds:.2f} s, {commands} "
            f"sandboxed commands -> sandbox start-up {bwrap_overhead * commands * 1000:.0f} ms "
            f"= {share:.1%} of the sample's scoring time"
        )
        if share >= TARGET_SHARE:
            failed = True
            _say(f"  MISSED: share >= {TARGET_SHARE:.0%}")
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    _say("targets met" if not failed else "target missed")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
