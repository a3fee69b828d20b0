"""benchmarks/results/sim-outcomes.json must describe the tasks as they are now."""

import json
import sys
from pathlib import Path

from benchmarks.support.simulate import OutcomeTable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.sim_outcomes import DEFAULT_OUT, stale  # noqa: E402


def test_the_committed_outcome_table_is_not_stale():
    outcomes = OutcomeTable.model_validate_json(DEFAULT_OUT.read_text())
    assert stale(outcomes) == []


def test_a_changed_task_or_mutant_makes_it_stale(tmp_path):
    from harness.scoring.scorer import CHECKS_FINGERPRINT
    from harness.tasks.loader import load_tasks

    # A current table (whatever the committed file's state), then three changes.
    data = json.loads(DEFAULT_OUT.read_text())
    for task in load_tasks():
        data[task.id] = data.get(task.id, {"gold": 1.0, "mutants": [0.5]}) | {
            "task_hash": task.content_hash(),
            "scorer_version": CHECKS_FINGERPRINT,
            "mutant_names": [p.stem for p in task.mutants],
        }
    assert stale(OutcomeTable.model_validate(data)) == []
    task = sorted(data)[0]
    data[task]["task_hash"] = "0" * 16
    data[sorted(data)[1]]["mutant_names"] = ["renamed"]
    del data[sorted(data)[2]]
    problems = stale(OutcomeTable.model_validate(data))
    assert any(p.startswith(f"{task}: task changed") for p in problems)
    assert any("mutants differ" in p for p in problems)
    assert any("not in the table" in p for p in problems)
    assert problems[-1].endswith("sim_outcomes.py --stale")
