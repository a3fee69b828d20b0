"""Score each task's gold project, each of its mutants and an empty project once.

The ``sim`` model answers every sample with one of these projects, so their scores are
all a simulated run can produce. This table (``{task: {"gold": g, "mutants": [...],
"mutant_names": [...], "empty": e, "task_hash": h, "scorer_version": v}}``, overall
scores) feeds ``benchmarks/stats_validity.py`` to check the statistics against the real
scorer's numbers without re-running the sandbox::

    uv run python benchmarks/sim_outcomes.py                 # every task
    uv run python benchmarks/sim_outcomes.py --tasks ID ...  # only these (merged in)
    uv run python benchmarks/sim_outcomes.py --stale         # only the stale ones

Each entry records the task folder's content hash and the scorer version: :func:`stale`
names every entry that no longer matches (a task, its reference or a mutant changed, a
task was added or removed, the scorer changed), and the validity suite's smoke mode and
``tests/stats/test_sim_outcomes_fresh.py`` fail on a stale file.
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

from benchmarks.support.simulate import OutcomeTable  # noqa: E402
from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.models.reference import ReferenceModel  # noqa: E402
from harness.models.sim import mutated_files  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.scoring.scorer import CHECKS_FINGERPRINT, score_project  # noqa: E402
from harness.tasks.loader import Task, load_tasks  # noqa: E402

DEFAULT_OUT = ROOT / "benchmarks/results/sim-outcomes.json"


def stale(outcomes: OutcomeTable, tasks: list[Task] | None = None) -> list[str]:
    """Why each stale entry of ``outcomes`` is stale (empty: the table is current)."""
    current = {task.id: task for task in tasks or load_tasks()}
    problems = [
        f"{task_id}: not in the table (a new task)"
        for task_id in sorted(set(current) - set(outcomes.root))
    ]
    problems += [
        f"{task_id}: no such task any more"
        for task_id in sorted(set(outcomes.root) - set(current))
    ]
    for task_id, entry in sorted(outcomes.root.items()):
        task = current.get(task_id)
        if task is None:
            continue
        if entry.task_hash != task.content_hash():
            problems.append(
                f"{task_id}: task changed (hash {entry.task_hash} -> {task.content_hash()})"
            )
        elif entry.scorer_version != CHECKS_FINGERPRINT:
            problems.append(
                f"{task_id}: scored by checks {entry.scorer_version}, "
                f"now {CHECKS_FINGERPRINT}"
            )
        elif sorted(entry.mutant_names) != sorted(p.stem for p in task.mutants):
            problems.append(f"{task_id}: mutants differ from the task's")
    if problems:
        problems.append("regenerate: uv run python benchmarks/sim_outcomes.py --stale")
    return problems


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
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks", nargs="*", help="Task ids (default: all).")
    parser.add_argument(
        "--stale", action="store_true", help="Only the tasks whose entry is stale."
    )
    args = parser.parse_args()
    every = load_tasks()
    existing: dict[str, dict[str, object]] = {}
    if args.out.is_file() and (args.tasks or args.stale):
        existing = json.loads(args.out.read_text(encoding="utf-8"))
    chosen = set(args.tasks or [])
    if args.stale:
        old = OutcomeTable.model_validate(existing) if existing else None
        chosen |= {
            line.split(":")[0]
            for line in (stale(old, every) if old is not None else [])
            if not line.startswith("regenerate")
        }
        if not chosen:
            print(f"{args.out}: nothing is stale")
            return 0
    tasks = [t for t in every if not chosen or t.id in chosen]
    existing = {k: v for k, v in existing.items() if k in {t.id for t in every}}
    env = EvaluationEnvironment()
    env.ensure_built()
    box = Sandbox.create("bwrap", venv=env.venv, helpers=HELPERS_DIR)
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
        t.id: {
            "gold": 0.0,
            "mutants": [],
            "mutant_names": [],
            "empty": 0.0,
            "task_hash": t.content_hash(),
            "scorer_version": CHECKS_FINGERPRINT,
        }
        for t in tasks
    }
    for (task_id, kind, _, _), score in zip(jobs, scores, strict=True):
        entry = table[task_id]
        if kind in {"gold", "empty"}:
            entry[kind] = score
        else:
            mutants, names = entry["mutants"], entry["mutant_names"]
            assert isinstance(mutants, list)
            assert isinstance(names, list)
            mutants.append(score)
            names.append(kind)
    merged = dict(sorted((existing | table).items()))
    OutcomeTable.model_validate(merged)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
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
