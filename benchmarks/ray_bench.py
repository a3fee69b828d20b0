"""Benchmark ``--executor ray`` against the local executor, offline, on one machine.

Run by hand (minutes on a 2-core machine; needs ``uv sync --extra ray``)::

    uv run python benchmarks/ray_bench.py            # 6 smoke-suite tasks x 2 epochs per setting
    uv run python benchmarks/ray_bench.py --smoke    # the tiny task, ruff and format (CI)

One offline eval (``--model reference``: generation is free, the time is scoring) runs with
the local executor at 1 and 2 scoring slots, then on one local Ray (4 CPUs) capped at 1, 2
and 4 tasks in flight (``--score-slots``, the cluster-wide cap: as many busy worker
processes). Figures, all measured in this session:

* samples per minute of each setting, and Ray's scaling ratios (2 and 4 workers over 1);
* the overhead Ray adds per sample: Ray at 1 worker against local at 1 slot, per sample;
  and, with less noise, one Ray round trip carrying a real workspace there and a record back;
* an estimate, from these per-sample costs, of a 10-node x 16-core cluster's time for the
  full study: 33 tasks x 3 arms x 3 agents x 3 epochs = 891 samples.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.cluster.bundle import pack_folder  # noqa: E402
from harness.cluster.ray_executor import RayExecutor, connect, import_ray  # noqa: E402
from harness.run.config import EvalConfig  # noqa: E402
from harness.run.eval import run_eval  # noqa: E402
from harness.run.prepare import start_run  # noqa: E402
from harness.tasks.loader import get_task  # noqa: E402

STUDY = 33 * 3 * 3 * 3
NODES, CORES = 10, 16
RAY_CPUS = 4


def timed(config: EvalConfig, *, ray: bool) -> tuple[float, int]:
    """Run ``config`` (on the joined Ray when ``ray``); return wall seconds and samples."""
    run = start_run(config)
    started = time.monotonic()
    outcome = run_eval(run, executor=RayExecutor(run) if ray else None)
    wall = time.monotonic() - started
    assert all(r.score is not None and r.failure is None for r in outcome.records)
    return wall, len(outcome.records)


def round_trip_ms(rounds: int) -> float:
    """One Ray task carrying a gold workspace there and a record-sized reply back, in ms."""
    ray = import_ray()
    pack = pack_folder(get_task("crud-notes").reference_dir)

    @ray.remote(num_cpus=1)
    def echo(files: object) -> bytes:
        del files
        return b"x" * 20_000  # about a scored record

    ray.get(echo.remote(pack))  # a warm worker
    started = time.monotonic()
    for _ in range(rounds):
        ray.get(echo.remote(pack))
    return (time.monotonic() - started) / rounds * 1000


def main() -> int:
    """Run every setting and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="The tiny task, 2 samples."
    )
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="ray-bench-"))
    if args.smoke:
        sys.path.insert(0, str(ROOT / "tests"))
        from tests.solvers.skeleton.gen_support import make_task

        tasks, epochs, checks = (
            [str(make_task(out / "task").root)],
            2,
            ["ruff", "format"],
        )
    else:
        tasks, epochs, checks = ["smoke"], args.epochs, None

    def config(name: str, **values: object) -> EvalConfig:
        base: dict[str, object] = {
            "model": "reference",
            "tasks": tasks,
            "epochs": epochs,
            "results_dir": out,
            "run_id": name,
            "max_concurrency": 4,
            "checks": checks,
        }
        return EvalConfig.model_validate(base | values)

    rows: list[tuple[str, float, int]] = []
    sizes = (1, 2) if args.smoke else (1, 2, 4)
    try:
        os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
        started = time.monotonic()
        connect(None, num_cpus=RAY_CPUS)
        ray_start_s = time.monotonic() - started
        timed(config("warm-up", epochs=1, score_slots=1), ray=False)  # caches, imports
        # Local and Ray side by side at each size, so the machine's load hits both alike.
        for workers in sizes:
            if workers <= 2:
                wall, n = timed(
                    config(f"local-{workers}", score_slots=workers), ray=False
                )
                rows.append((f"local, {workers} slot(s)", wall, n))
            wall, n = timed(
                config(f"ray-{workers}", executor="ray", score_slots=workers), ray=True
            )
            rows.append((f"Ray, {workers} worker(s)", wall, n))
        trip = round_trip_ms(5 if args.smoke else 30)
        import_ray().shutdown()
    finally:
        shutil.rmtree(out, ignore_errors=True)

    print(f"{'setting':<22} {'samples':>7} {'wall s':>8} {'samples/min':>12}")
    for name, wall, n in rows:
        print(f"{name:<22} {n:>7} {wall:>8.1f} {60 * n / wall:>12.2f}")
    by = {name: wall / n for name, wall, n in rows}
    ray1 = by["Ray, 1 worker(s)"]
    for workers in sizes[1:]:
        print(
            f"Ray scaling, {workers} workers over 1: "
            f"{ray1 / by[f'Ray, {workers} worker(s)']:.2f}x"
        )
    local1 = by["local, 1 slot(s)"]
    overhead_ms = (ray1 - local1) * 1000
    print(f"Ray start (local, {RAY_CPUS} CPUs): {ray_start_s:.1f} s, once per run")
    print(f"Ray overhead per sample, Ray 1 worker - local 1 slot: {overhead_ms:.0f} ms")
    print(
        f"one Ray round trip with a workspace (crud-notes' gold) and a record: {trip:.1f} ms"
    )
    cores = NODES * CORES
    score_s = local1 + max(trip / 1000, 0.0)
    waves = math.ceil(STUDY / cores)
    print(
        f"estimate, {NODES} nodes x {CORES} cores, {STUDY} samples: scoring "
        f"{STUDY} x {score_s:.2f} s / {cores} = {STUDY * score_s / cores / 60:.1f} min; "
        f"an agent taking A minutes per sample adds {waves} x A minutes "
        f"({waves} waves of {cores}; e.g. {waves * 5} min at A = 5), "
        "if the provider allows that many calls in flight"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
