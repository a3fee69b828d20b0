"""The task format, the loader, suites and the `harness tasks` commands (no sandbox)."""

import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.cli import main
from harness.cli.schema_cmd import schema_models
from harness.errors import UsageError
from harness.tasks import (
    TaskConfig,
    TaskError,
    get_task,
    load_suites,
    load_task,
    read_config,
    suite_tasks,
    task_ids,
)
from harness.tasks.loader import DEFAULT_TASKS_DIR

REPO_TASKS = DEFAULT_TASKS_DIR
TaskFactory = Callable[..., Path]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


def test_sound_task_loads_with_defaults(make_task: TaskFactory) -> None:
    task = load_task(make_task())
    assert task.id == "mini"
    assert task.config.limits.turns == 5
    assert task.config.acceptance.setup == []
    assert task.config.starter is None
    assert len(task.mutants) == 5
    assert task.problems() == []
    spec = task.acceptance_spec()
    assert spec.tests_dir == task.acceptance_dir
    assert spec.startup_seconds == 20


def test_full_prompt_appends_the_contract(make_task: TaskFactory) -> None:
    root = make_task()
    (root.parent.parent / "contract.md").write_text("## Contract\nPython 3.12\n")
    prompt = load_task(root).full_prompt()
    assert prompt.startswith("Build a tiny items API.")
    assert prompt.rstrip().endswith("Python 3.12")


def test_hash_changes_with_any_file(make_task: TaskFactory) -> None:
    root = make_task()
    before = load_task(root).content_hash()
    (root / "acceptance" / "test_mini_api.py").write_text(
        "# changed\n", encoding="utf-8"
    )
    assert load_task(root).content_hash() != before


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("difficulty = 1", "difficulty = 9"), "difficulty: Input should be less than"),
        (
            ("turns = 5", 'turns = "many"'),
            "limits.turns: Input should be a valid integer",
        ),
        (
            ("tags = [", "colour = 'red'\ntags = ["),
            "colour: Extra inputs are not permitted",
        ),
        (
            ("schema_version = 1", "schema_version = 2"),
            "schema_version: Input should be 1",
        ),
        (
            (
                "[acceptance]",
                "[acceptance]\nenv = { JWT_SECRET = 'harness-own-key-0123' }",
            ),
            "JWT_SECRET (the value of $HARNESS_TEST_OWN_KEY)",
        ),
        (("title = ", "title = = "), "not valid TOML"),
    ],
)
def test_bad_task_toml_is_one_clear_line(
    make_task: TaskFactory,
    edit: tuple[str, str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A value of the harness's own environment is refused, whatever the name it is given.
    monkeypatch.setenv("HARNESS_TEST_OWN_KEY", "harness-own-key-0123")
    root = make_task()
    path = root / "task.toml"
    path.write_text(path.read_text().replace(*edit, 1))
    with pytest.raises(TaskError) as raised:
        read_config(path)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
    assert str(path) in message


def test_a_task_declares_a_secret_named_literal(make_task: TaskFactory) -> None:
    # auth-jwt gives the app a known JWT_SECRET so its tests can forge expired tokens.
    root = make_task()
    path = root / "task.toml"
    path.write_text(
        path.read_text().replace(
            "[acceptance]", "[acceptance]\nenv = { JWT_SECRET = 'acceptance-key' }", 1
        )
    )
    assert read_config(path).acceptance.env == {"JWT_SECRET": "acceptance-key"}


def test_cli_reports_a_bad_task_toml_in_one_line(
    make_task: TaskFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_task()
    path = root / "task.toml"
    path.write_text(path.read_text().replace("difficulty = 1", "difficulty = 0"))
    code, out, _ = _run(
        capsys, "tasks", "validate", "mini", "--tasks-dir", str(root.parent)
    )
    assert code == 1
    problem = next(line for line in out.splitlines() if line.startswith("mini: "))
    assert "mini: schema: " in problem
    assert "difficulty: Input should be greater than or equal to 1" in problem
    assert problem.endswith("fix task.toml (format: docs/writing-tasks.md)")
    code, out, _ = _run(capsys, "tasks", "list", "--tasks-dir", str(root.parent))
    assert code == 0
    assert "invalid task.toml" in out


def test_static_problems_name_the_fix(make_task: TaskFactory) -> None:
    root = make_task("other")
    (root / "task.toml").write_text(
        (root / "task.toml").read_text().replace('id = "other"', 'id = "mini"')
    )
    (root / "prompt.md").write_text("Use the FastAPI skill to build it.\n")
    for patch in list((root / "mutants").glob("*.patch"))[:2]:
        patch.unlink()
    problems = load_task(root).problems()
    assert any("differs from the folder name" in p for p in problems)
    assert any("mentions a skill" in p for p in problems)
    assert any("ship at least 5" in p for p in problems)


def test_acceptance_tests_must_not_import_the_project(make_task: TaskFactory) -> None:
    root = make_task()
    tests = root / "acceptance" / "test_mini_api.py"
    tests.write_text("from app.items.service import ITEMS\n" + tests.read_text())
    (root / "acceptance" / "conftest.py").write_text("import httpx\nimport app.main\n")
    problems = load_task(root).problems()
    assert "acceptance tests import the project (app): test it over HTTP only" in (
        " ".join(problems)
    )


def test_missing_parts_are_problems(make_task: TaskFactory) -> None:
    root = make_task()
    (root / "acceptance" / "test_mini_api.py").unlink()
    (root / "reference" / "pyproject.toml").unlink()
    config = (root / "task.toml").read_text()
    (root / "task.toml").write_text(
        config.replace("difficulty = 1", 'difficulty = 1\nkind = "extend"')
        + '\n[starter]\npath = "starter"\n'
    )
    problems = load_task(root).problems()
    assert any("acceptance/ has no test_*.py" in p for p in problems)
    assert any("reference/pyproject.toml is missing" in p for p in problems)
    assert any("starter folder 'starter' is missing" in p for p in problems)


def test_starter_path_must_stay_inside(make_task: TaskFactory) -> None:
    root = make_task()
    (root / "task.toml").write_text(
        (root / "task.toml").read_text().replace("tags", 'kind = "fix"\ntags')
        + '\n[starter]\npath = "../elsewhere"\n'
    )
    with pytest.raises(TaskError, match=r"starter\.path"):
        load_task(root)


def test_unknown_task_lists_the_known_ones(make_task: TaskFactory) -> None:
    root = make_task()
    with pytest.raises(UsageError, match="choose from mini"):
        get_task("nope", root.parent)


def test_suites_expand_star_and_reject_unknown_tasks(make_task: TaskFactory) -> None:
    make_task("alpha")
    root = make_task("beta").parent
    suites = root.parent / "suites.toml"
    suites.write_text('[suites]\nsmoke = ["beta"]\nfull = ["*"]\n')
    assert load_suites(root) == {"smoke": ["beta"], "full": ["alpha", "beta"]}
    assert suite_tasks("full", root) == ["alpha", "beta"]
    with pytest.raises(UsageError, match="no suite 'nightly'"):
        suite_tasks("nightly", root)
    suites.write_text('[suites]\nsmoke = ["gamma"]\n')
    with pytest.raises(TaskError, match="unknown task"):
        load_suites(root)
    assert load_suites(root, strict=False) == {"smoke": []}


def test_list_and_show(
    make_task: TaskFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_task()
    code, out, _ = _run(capsys, "tasks", "list", "--tasks-dir", str(root.parent))
    assert code == 0
    assert re.search(
        r"mini\s+│ greenfield │\s+1 │ crud\s+│ control\s+│\s+10 │\s+5 │", out
    )
    code, out, _ = _run(
        capsys, "tasks", "show", "mini", "--tasks-dir", str(root.parent)
    )
    assert code == 0
    assert "Build a tiny items API." in out
    assert "status-200.patch" in out


def test_schema_export_includes_the_task_format() -> None:
    schema = schema_models()["task"].model_json_schema()
    assert schema_models()["task"] is TaskConfig
    assert {"id", "title", "difficulty", "limits", "acceptance"} <= set(
        schema["properties"]
    )
    json.dumps(schema)


# -- the repository's own tasks ---------------------------------------------------------


@pytest.mark.parametrize("task_id", task_ids(REPO_TASKS))
def test_repository_task_is_statically_sound(task_id: str) -> None:
    task = get_task(task_id, REPO_TASKS)
    assert task.problems() == []


def test_repository_suites_are_valid() -> None:
    suites = load_suites(REPO_TASKS)
    assert set(suites) >= {"smoke", "full"}
    assert suites["full"] == task_ids(REPO_TASKS)
    assert 2 <= len(suites["smoke"]) <= 3  # "2-3 fast tasks" (issue J)


def test_contract_states_what_every_prompt_needs() -> None:
    contract = (REPO_TASKS.parent / "contract.md").read_text(encoding="utf-8")
    for needle in ("3.12", "[tool.fastapi]", "DATABASE_URL", "aiosqlite", "pytest"):
        assert needle in contract
    assert "skill" not in contract.lower()
    tomllib.loads((REPO_TASKS.parent / "suites.toml").read_text(encoding="utf-8"))


def test_repository_prompts_carry_the_contract() -> None:
    for task_id in task_ids(REPO_TASKS):
        task = get_task(task_id, REPO_TASKS)
        if task.prompt_file.is_file():  # a missing prompt fails the test above
            assert "DATABASE_URL" in task.full_prompt()


def test_default_dir_is_the_checkout() -> None:
    assert Path(REPO_TASKS).name == "tasks"
    assert Path(REPO_TASKS).parent.name == "evals"
