"""`harness tasks validate` in the real sandbox: it passes a sound task and catches bad ones."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli import main
from harness.scoring.results import CheckResult
from harness.tasks import load_task
from harness.tasks.loader import Task
from harness.tasks.validate import (
    TaskValidation,
    TaskValidator,
    apply_patch,
)

pytestmark = pytest.mark.slow

TaskFactory = Callable[..., Path]


def test_sound_task_is_valid(make_task: TaskFactory, validator: TaskValidator) -> None:
    report = validator.validate(load_task(make_task()))
    assert report.problems() == []
    assert report.ok
    assert len(report.tests) == 10
    assert [step.name for step in report.steps] == ["schema", "reference", "empty"]
    assert report.mutation_score == 1.0
    assert all(m.detail.startswith("caught by") for m in report.mutants)


def test_surviving_mutant_fails_validation_after_every_run(
    make_task: TaskFactory,
    validator: TaskValidator,
    mutate: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(validator, "mutant_runs", 2)
    root = make_task()
    patch = mutate(
        root, "title-changed", 'title="mini"', 'title="x"', "src/app/main.py"
    )
    outcome = validator.check_mutant(load_task(root), patch)
    assert not outcome.caught
    assert outcome.runs == 2
    assert "survived 2 runs" in outcome.detail


def test_mutant_caught_on_a_later_run_counts_and_says_timing(
    make_task: TaskFactory, validator: TaskValidator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A race caught only when requests interleave: survives once, then is caught."""
    task = load_task(make_task())
    real_score = validator._score
    runs: list[int] = []

    def score_like_a_race(
        task_: Task, project: Path, checks: list[str] | None
    ) -> tuple[float, list[CheckResult]]:
        overall, results = real_score(task_, project, checks)
        runs.append(len(runs) + 1)
        if len(runs) == 1:  # the first run: the requests did not interleave
            passed = results[0].model_copy(update={"status": "pass", "findings": []})
            return overall, [passed]
        return overall, results

    monkeypatch.setattr(validator, "_score", score_like_a_race)
    outcome = validator.check_mutant(task, task.root / "mutants" / "health-down.patch")
    assert outcome.caught
    assert outcome.runs == 2
    assert runs == [1, 2]
    assert "on run 2 of 3" in outcome.detail
    assert "timing" in outcome.detail


def test_caught_mutant_names_the_failing_test(
    make_task: TaskFactory, validator: TaskValidator
) -> None:
    task = load_task(make_task())
    outcome = validator.check_mutant(task, task.root / "mutants" / "health-down.patch")
    assert outcome.caught
    assert "test_mini_api.py::test_health" in outcome.detail


def test_patch_that_does_not_apply_fails(
    make_task: TaskFactory, validator: TaskValidator
) -> None:
    root = make_task()
    stale = root / "mutants" / "stale.patch"
    stale.write_text(
        "--- a/src/mini/main.py\n+++ b/src/mini/main.py\n@@ -1,1 +1,1 @@\n"
        "-this line is not in the file\n+neither is this\n"
    )
    outcome = validator.check_mutant(load_task(root), stale)
    assert not outcome.applied
    assert not outcome.caught
    assert "does not apply" in outcome.detail


def test_test_passing_on_an_empty_project_is_reported(
    make_task: TaskFactory, validator: TaskValidator
) -> None:
    trivial = (
        "\n\ndef test_unknown_path_is_404(client: httpx.Client) -> None:\n"
        '    assert client.get("/nothing-here").status_code == 404\n'
    )
    task = load_task(make_task(extra_tests=trivial))
    tests, error = validator.collect(task)
    assert error is None
    step = validator.check_empty(task, tests)
    assert not step.ok
    assert "test_mini_api.py::test_unknown_path_is_404" in step.detail
    assert "1 test(s) pass on an app with no routes" in step.detail


def test_starter_may_pass_only_declared_tests(
    make_task: TaskFactory, validator: TaskValidator
) -> None:
    root = make_task()
    shutil.copytree(root / "reference", root / "starter")
    declared = '"test_mini_api.py::test_health", "test_mini_api.py::test_ids_differ"'
    config = root / "task.toml"
    config.write_text(
        config.read_text().replace("tags", 'kind = "extend"\ntags')
        + f"\n[starter]\npassing_tests = [{declared}]\n"
    )
    task = load_task(root)
    tests, _ = validator.collect(task)
    step = validator.check_starter(task, tests)
    assert not step.ok
    assert "8 undeclared test(s) pass on the starter alone" in step.detail


def test_schema_step_counts_tests_and_unknown_declarations(
    make_task: TaskFactory, validator: TaskValidator
) -> None:
    root = make_task()
    config = root / "task.toml"
    config.write_text(
        config.read_text().replace("tags", 'kind = "fix"\ntags')
        + '\n[starter]\npassing_tests = ["test_mini_api.py::nope"]\n'
    )
    (root / "starter").mkdir()
    source = root / "acceptance" / "test_mini_api.py"
    source.write_text(source.read_text().split("@pytest.mark.parametrize")[0])
    report = TaskValidation(task_id="mini")
    assert validator.check_schema(load_task(root), report)
    assert not report.ok
    schema = report.step("schema")
    assert schema is not None
    assert not schema.ok
    assert "1 acceptance tests: write 10 to 30" in schema.detail
    assert "names unknown test(s) test_mini_api.py::nope" in schema.detail


def test_cli_exits_non_zero_and_prints_the_table(
    make_task: TaskFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_task()
    (root / "acceptance" / "test_mini_api.py").write_text("def helper() -> None: ...\n")
    report = tmp_path / "validation.json"
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "tasks",
                "validate",
                "--tasks-dir",
                str(root.parent),
                "--json",
                str(report),
            ]
        )
    out, _ = capsys.readouterr()
    assert stopped.value.code == 1
    assert "invalid" in out
    assert "mini: schema: 0 acceptance tests: write 10 to 30" in out
    document = json.loads(report.read_text())
    assert document["ok"] is False
    [task] = document["tasks"]
    assert task["task"] == "mini"
    assert task["steps"][0]["name"] == "schema"
    assert task["problems"] == ["schema: 0 acceptance tests: write 10 to 30"]


def test_apply_patch_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("one\ntwo\n")
    patch = tmp_path / "p.patch"
    patch.write_text("--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n")
    assert apply_patch(patch, tmp_path) == (True, "")
    assert (tmp_path / "f.txt").read_text() == "one\nTWO\n"


def test_cli_validates_tasks_in_parallel_slots(
    make_task: TaskFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    make_task("alpha")
    root = make_task("beta").parent
    config = root / "beta" / "task.toml"
    config.write_text(config.read_text().replace("difficulty = 1", "difficulty = 2"))
    report = tmp_path / "validation.json"
    with pytest.raises(SystemExit) as stopped:
        main(
            [
                "tasks",
                "validate",
                "--tasks-dir",
                str(root),
                "-j",
                "2",
                "--json",
                str(report),
            ]
        )
    out, err = capsys.readouterr()
    assert stopped.value.code == 0, out
    assert "2 task(s) in" in out
    assert "(2 slot(s)" in out
    assert "2/2 valid" in out
    assert "20" in out  # total tests of the footer
    assert "10/10" in out  # mutants caught, in total
    assert "alpha: valid in" in err
    document = json.loads(report.read_text())
    assert document["ok"] is True
    assert document["jobs"] == 2
    assert [t["task"] for t in document["tasks"]] == ["alpha", "beta"]
    assert [t["difficulty"] for t in document["tasks"]] == [1, 2]
    assert all(t["kind"] == "greenfield" for t in document["tasks"])
    assert all(t["mutants_caught"] == 5 and t["tests"] == 10 for t in document["tasks"])
    assert document["task_time_s"] >= max(t["duration_s"] for t in document["tasks"])
