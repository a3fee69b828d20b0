"""Score each task's gold project, each of its mutants and an empty project once.

The ``sim`` model answers every sample with one of these projects, so their scores are
all a simulated run can produce. This table (``{task: {"gold": g, "mutants": [...],
"empty": e}}``, overall scores) feeds ``benchmarks/stats_validity.py --outcomes`` to check
the statistics against the real scorer's numbers without re-running the sandbox::

    uv run python benchmarks/sim_outcomes.py --out benchmarks/results/sim-outcomes.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.models.reference import ReferenceModel  # noqa: E402
from harness.models.sim import mutated_files  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.scoring.scorer import score_project  # noqa: E402
from harness.tasks.loader import Task, load_tasks  # noqa: E402


def _score_files(
    files: dict[str, str], task: Task, box: Sandbox, env: EvaluationEnvironment
) -> float:
    scratch = Path(tempfile.mkdtemp(prefix="sim-outcome-"))
    try:
        project = scratch / "project"
        project.mkdir()
        for rel, content in files.items():
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text(content, encoding="utf-8")
        return score_project(
            project, sandbox=box, environment=env, acceptance=task.acceptance_spec()
        ).overall
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    """Score every task's outcomes and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks/results/sim-outcomes.json"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks", nargs="*", help="Task ids (default: all).")
    args = parser.parse_args()
    env = EvaluationEnvironment()
    env.ensure_built()
    box = Sandbox.create("bwrap", venv=env.venv, helpers=HELPERS_DIR)
    tasks = [t for t in load_tasks() if not args.tasks or t.id in args.tasks]
    jobs: list[tuple[str, str, dict[str, str], Task]] = []
    for task in tasks:
        jobs.append((task.id, "gold", ReferenceModel(task.reference_dir).files(), task))
        jobs.append((task.id, "empty", {}, task))
        for patch in task.mutants:
            jobs.append(
                (task.id, patch.stem, mutated_files(task.reference_dir, patch), task)
            )
    started = time.monotonic()
    with ThreadPoolExecutor(args.workers) as pool:
        scores = list(
            pool.map(lambda job: _score_files(job[2], job[3], box, env), jobs)
        )
    table: dict[str, dict[str, object]] = {
        t.id: {"gold": 0.0, "mutants": [], "empty": 0.0} for t in tasks
    }
    for (task_id, kind, _, _), score in zip(jobs, scores, strict=True):
        entry = table[task_id]
        if kind in {"gold", "empty"}:
            entry[kind] = score
        else:
            mutants = entry["mutants"]
            assert isinstance(mutants, list)
            mutants.append(score)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    took = time.monotonic() - started
    print(
        f"{len(jobs)} projects of {len(tasks)} tasks scored in {took:.0f} s -> {args.out}"
    )
    for task_id, entry in table.items():
        mutants = entry["mutants"]
        assert isinstance(mutants, list)
        print(
            f"  {task_id:<24} gold {entry['gold']:.3f}  empty {entry['empty']:.3f}  "
            f"mutants {min(mutants):.3f}..{max(mutants):.3f} (n={len(mutants)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
