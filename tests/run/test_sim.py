"""The simulated model: a known, reproducible effect planted per arm."""

from collections import Counter

import pytest

from harness.errors import UsageError
from harness.models.reference import ReferenceModel
from harness.models.sim import SimSettings, draw, mutated_files
from harness.tasks.loader import get_task

MUTANTS = ["m1", "m2", "m3"]


def _draws(settings: SimSettings, arm: str, n: int = 2000) -> Counter[str]:
    return Counter(
        draw(settings, task=f"t{i % 40}", arm=arm, epoch=i // 40, mutants=MUTANTS)
        for i in range(n)
    )


def test_draws_are_reproducible_and_follow_each_arms_chance():
    settings = SimSettings.parse(["skill=0.8", "none=0.3"], seed=7)
    assert _draws(settings, "skill") == _draws(settings, "skill")
    skill, none = _draws(settings, "skill"), _draws(settings, "none")
    assert 0.76 < skill["gold"] / 2000 < 0.84
    assert 0.26 < none["gold"] / 2000 < 0.34
    assert {k for k in none if k != "gold"} == {f"mutant:{m}" for m in MUTANTS}
    other_seed = SimSettings.parse(["skill=0.8", "none=0.3"], seed=8)
    assert _draws(other_seed, "skill") != skill


def test_certain_and_impossible_gold_and_empty_replies():
    always = SimSettings.parse(["a=1", "b=0"], empty=1.0)
    assert set(_draws(always, "a", 200)) == {"gold"}
    assert set(_draws(always, "b", 200)) == {"empty"}
    assert set(_draws(SimSettings(), "c", 200)) <= {"gold"} | {
        f"mutant:{m}" for m in MUTANTS
    }


@pytest.mark.parametrize("pair", ["skill", "skill=2", "=0.5", "skill=x"])
def test_bad_chances_are_one_line(pair):
    with pytest.raises(UsageError, match="use ARM=P with P between 0 and 1"):
        SimSettings.parse([pair])


def test_a_mutant_is_the_gold_project_with_its_patch_applied():
    task = get_task("crud-notes")
    gold = ReferenceModel(task.reference_dir).files()
    mutant = mutated_files(task.reference_dir, task.mutants[0])
    changed = {path for path in gold if mutant.get(path) != gold[path]}
    assert changed  # the patch changed something, and only files it names
    patch_text = task.mutants[0].read_text(encoding="utf-8")
    assert all(path in patch_text for path in changed)
