"""Probes (evals/probes.toml), task kinds, suite selectors and static test counts."""

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from harness.cli import main
from harness.environment import REPO_ROOT
from harness.errors import UsageError
from harness.scoring.checks.conformance import RULES
from harness.tasks import (
    ProbeError,
    TaskError,
    load_probes,
    load_suites,
    load_task,
    resolve_suite,
    suite_ids,
    task_ids,
)
from harness.tasks.counting import count_tests
from harness.tasks.loader import DEFAULT_TASKS_DIR
from harness.tasks.parallel import validate_tasks
from harness.tasks.validate import TaskValidation

TaskFactory = Callable[..., Path]
PROBES = """[probes.paginated-lists]
summary = "Lists are paginated."
skill = "SKILL.md#routes-and-dependencies"
conformance = "paginated-lists"

[probes.commit-in-service]
summary = "Writes are committed."
skill = "references/database.md"
"""


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "task.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _tasks(make_task: TaskFactory) -> Path:
    """Three tasks with kinds, tags and probes, a probe catalogue and suites."""
    alpha, beta, gamma = make_task("alpha"), make_task("beta"), make_task("gamma")
    root = alpha.parent
    (root.parent / "probes.toml").write_text(PROBES)
    _edit(
        alpha,
        'tags = ["crud"]',
        'tags = ["crud", "auth"]\nprobes = ["paginated-lists"]',
    )
    _edit(beta, 'tags = ["crud"]', 'tags = ["crud"]\nprobes = ["commit-in-service"]')
    (gamma / "starter").mkdir()
    _edit(gamma, 'tags = ["crud"]', 'tags = ["auth"]\nkind = "fix"')
    config = gamma / "task.toml"
    config.write_text(config.read_text() + "\n[starter]\n")
    (root.parent / "suites.toml").write_text(
        '[suites]\nsmoke = ["beta"]\nfull = ["*"]\nsecurity = ["tag:auth", "beta"]\n'
    )
    return root


def test_unknown_probe_is_one_line_naming_the_id_and_the_file(
    make_task: TaskFactory,
) -> None:
    root = make_task()
    (root.parent.parent / "probes.toml").write_text(PROBES)
    _edit(root, 'tags = ["crud"]', 'tags = ["crud"]\nprobes = ["lazy-loding"]')
    with pytest.raises(TaskError) as raised:
        load_task(root)
    message = str(raised.value)
    assert "\n" not in message
    assert "unknown probe 'lazy-loding'" in message
    assert str(root.parent.parent / "probes.toml") in message
    assert "Value error" not in message


def test_known_probes_load_and_duplicates_are_refused(make_task: TaskFactory) -> None:
    root = make_task()
    (root.parent.parent / "probes.toml").write_text(PROBES)
    _edit(root, 'tags = ["crud"]', 'tags = ["crud"]\nprobes = ["paginated-lists"]')
    assert load_task(root).config.probes == ["paginated-lists"]
    _edit(root, 'probes = ["paginated-lists"]', 'probes = ["paginated-lists"] * 1')
    with pytest.raises(TaskError, match="not valid TOML"):
        load_task(root)
    _edit(
        root,
        'probes = ["paginated-lists"] * 1',
        'probes = ["paginated-lists", "paginated-lists"]',
    )
    with pytest.raises(TaskError, match="listed twice"):
        load_task(root)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ('kind = "extend"', "kind 'extend' needs a starter"),
        ('kind = "fix"', "kind 'fix' needs a starter"),
        ('kind = "rewrite"', "kind: Input should be 'greenfield', 'extend' or 'fix'"),
        ('[starter]\npath = "starter"', "kind 'greenfield' has a [starter]"),
    ],
)
def test_kind_must_match_the_starter(
    make_task: TaskFactory, edit: str, expected: str
) -> None:
    root = make_task()
    _edit(root, "difficulty = 1", f"difficulty = 1\n{edit}")
    with pytest.raises(TaskError) as raised:
        load_task(root)
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[probes.Bad_Id]\nsummary = "x"\nskill = "SKILL.md"\n', "lower-case words"),
        ('[probes.a]\nskill = "SKILL.md"\n', "probes.a.summary: Field required"),
        ('[probes.a]\nsummary = "x"\nskill = "notes.txt"\n', "probes.a.skill"),
        ('[probes.a]\nsummary = "x"\nskill = "SKILL.md"\nweight = 2\n', "weight"),
        ("[probes.a\n", "not valid TOML"),
    ],
)
def test_bad_probe_catalogue_is_one_clear_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "probes.toml"
    path.write_text(text)
    with pytest.raises(ProbeError) as raised:
        load_probes(path)
    assert expected in str(raised.value)
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_selectors_resolve_to_tasks(make_task: TaskFactory) -> None:
    root = _tasks(make_task)
    assert [t.id for t in resolve_suite("smoke", root)] == ["beta"]
    assert suite_ids("tag:auth", root) == ["alpha", "gamma"]
    assert suite_ids("probe:commit-in-service", root) == ["beta"]
    assert suite_ids("kind:fix", root) == ["gamma"]
    assert suite_ids("kind:greenfield", root) == ["alpha", "beta"]
    assert suite_ids("smoke,tag:auth", root) == ["beta", "alpha", "gamma"]
    assert suite_ids(["gamma", "full"], root) == ["gamma", "alpha", "beta"]
    assert load_suites(root)["security"] == ["alpha", "gamma", "beta"]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (
            "nightly",
            "no suite or task 'nightly': choose a suite (smoke, full, security)",
        ),
        ("tag:billing", "no task matches tag:billing (tags in use: auth, crud)"),
        ("probe:nope", "no probe 'nope' in"),
        ("probe:paginated-lists,kind:extend", "no task matches kind:extend"),
        ("owner:me", "unknown selector 'owner:me'"),
        (" , ", "no suite given"),
    ],
)
def test_selectors_that_match_nothing_say_what_exists(
    make_task: TaskFactory, selector: str, expected: str
) -> None:
    root = _tasks(make_task)
    with pytest.raises(UsageError) as raised:
        suite_ids(selector, root)
    assert expected in str(raised.value)


def test_validate_cli_rejects_an_empty_selection(
    make_task: TaskFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tasks(make_task)
    with pytest.raises(SystemExit) as stopped:
        main(["tasks", "validate", "--suite", "tag:billing", "--tasks-dir", str(root)])
    assert stopped.value.code == 2
    assert "harness: error: no task matches tag:billing" in capsys.readouterr().err


def test_list_shows_kind_probes_and_counts(
    make_task: TaskFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tasks(make_task)
    with pytest.raises(SystemExit) as stopped:
        main(["tasks", "list", "--tasks-dir", str(root), "--suite", "tag:auth"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0
    assert "2 tasks" in out
    alpha = next(line for line in out.splitlines() if "alpha" in line)
    assert re.search(
        r"alpha\s+│ greenfield │\s+1 │ crud, auth\s+│ paginated-lists", alpha
    )
    assert re.search(r"│\s+10 │\s+5 │", alpha)
    gamma = next(line for line in out.splitlines() if "gamma" in line)
    assert "│ fix " in gamma
    assert "control" in gamma
    assert "beta" not in out


def test_count_tests_reads_parametrize(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(
        "import pytest\n\n"
        "def helper() -> None: ...\n\n"
        "def test_one() -> None: ...\n\n"
        "@pytest.mark.parametrize('x', [1, 2, 3])\n"
        "@pytest.mark.parametrize(('a', 'b'), [(1, 2), (3, 4)])\n"
        "async def test_grid(x: int, a: int, b: int) -> None: ...\n\n"
        "class TestThing:\n"
        "    def test_method(self) -> None: ...\n"
    )
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "fake.py").write_text("def test_not_a_test(): ...\n")
    assert count_tests(tmp_path) == 8
    (tmp_path / "test_b.py").write_text(
        "import pytest\nCASES = [1]\n\n@pytest.mark.parametrize('x', CASES)\n"
        "def test_x(x: int) -> None: ...\n"
    )
    assert count_tests(tmp_path) is None
    assert count_tests(tmp_path / "missing") == 0


# -- parallel slots ---------------------------------------------------------------------


class _FakeValidator:
    """Records how many validations overlap, per task, without running anything."""

    def __init__(self, backend: str) -> None:
        self.sandbox = SimpleNamespace(name=backend)
        self.environment = SimpleNamespace(
            mypy_cache_key=lambda _text: "k", warm_mypy_cache=lambda _key: Path()
        )
        self.running: set[str] = set()
        self.overlaps: list[set[str]] = []
        self.lock = threading.Lock()

    def validate(self, task: Any, *, on_step: Callable[[str], None]) -> TaskValidation:
        on_step("schema")
        with self.lock:
            self.running.add(task.id)
            self.overlaps.append(set(self.running))
        time.sleep(0.15)
        with self.lock:
            self.running.discard(task.id)
        return TaskValidation(task_id=task.id, duration_s=0.15)


def _with_service(root: Path, port: int) -> None:
    (root / "acceptance" / "services").mkdir()
    (root / "acceptance" / "services" / "fake.py").write_text("app = None\n")
    _edit(
        root,
        "test_timeout_seconds = 20",
        "test_timeout_seconds = 20\n\n[[acceptance.services]]\nname = 'fake'\n"
        f"file = 'services/fake.py'\nport = {port}",
    )


@pytest.mark.parametrize(("backend", "together"), [("bwrap", True), ("none", False)])
def test_slots_run_side_by_side_but_never_share_a_host_port(
    make_task: TaskFactory, backend: str, together: bool
) -> None:
    roots = [make_task(name) for name in ("alpha", "beta", "gamma")]
    _with_service(roots[0], 9100)
    _with_service(roots[1], 9100)
    tasks = [load_task(root) for root in roots]
    fake = _FakeValidator(backend)
    steps: list[tuple[str, str]] = []
    results = validate_tasks(
        fake,  # type: ignore[arg-type]
        tasks,
        jobs=3,
        on_step=lambda task_id, step: steps.append((task_id, step)),
    )
    assert [r.task_id for r in results] == ["alpha", "beta", "gamma"]
    assert sorted(steps) == [
        ("alpha", "schema"),
        ("beta", "schema"),
        ("gamma", "schema"),
    ]
    assert max(len(running) for running in fake.overlaps) >= 2
    shared = any({"alpha", "beta"} <= running for running in fake.overlaps)
    assert shared is together


# -- the repository's probes ------------------------------------------------------------


def _anchors(markdown: str) -> set[str]:
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {
        re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")
        for heading in headings
    }


def test_repository_probes_point_at_what_the_skill_teaches() -> None:
    catalogue = load_probes(DEFAULT_TASKS_DIR.parent / "probes.toml")
    skill = REPO_ROOT / "skill" / "python-fastapi-developer"
    assert catalogue.probes
    for probe_id, probe in catalogue.probes.items():
        file, _, anchor = probe.skill.partition("#")
        assert (skill / file).is_file(), probe_id
        if anchor:
            assert anchor in _anchors((skill / file).read_text()), probe_id
        if probe.conformance is not None:
            assert probe.conformance in RULES, probe_id


def test_repository_tasks_have_a_kind_and_known_probes() -> None:
    tasks = [load_task(DEFAULT_TASKS_DIR / task_id) for task_id in task_ids()]
    kinds = {task.config.kind for task in tasks}
    assert kinds == {"greenfield", "extend", "fix"}
    probing = [task for task in tasks if task.config.probes]
    assert 2 * len(probing) >= len(tasks)
    for task in tasks:
        assert (task.config.kind != "greenfield") == (task.starter_dir is not None)
