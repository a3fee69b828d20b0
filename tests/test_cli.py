"""The command line: bad input gives one clear line and exit status 2, never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli.schema_cmd import render, schema_models

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["score", "does/not/exist"], "project folder does/not/exist does not exist"),
        (["score", "README.md"], "README.md is a file, not a project folder"),
        (
            ["score", str(MINI / "project"), "--checks", "ruff,pylint"],
            "unknown check pylint",
        ),
        (
            ["score", str(MINI / "project"), "--acceptance", "nope"],
            "--acceptance nope is not a folder",
        ),
        (
            ["score", str(MINI / "project"), "--json", "missing/dir/out.json"],
            "folder missing/dir does not exist",
        ),
        (["score", str(MINI / "project"), "--sandbox", "docker"], "Invalid value"),
        (
            ["score", str(MINI / "project"), "--task", "no-such-task"],
            "no task 'no-such-task'",
        ),
        (
            [
                "score",
                str(MINI / "project"),
                "--task",
                "crud-notes",
                "--acceptance",
                "x",
            ],
            "give --task or --acceptance, not both",
        ),
        (["score"], "Missing argument"),
    ],
)
def test_unusable_arguments_give_one_line_and_exit_2(
    args: list[str], expected: str
) -> None:
    done = harness(*args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("harness: error: ")
    assert expected in lines[0]
    assert "Traceback" not in done.stderr


def test_score_writes_json_and_prints_a_table(tmp_path: Path) -> None:
    out = tmp_path / "score.json"
    done = harness(
        "score",
        str(MINI / "project"),
        "--acceptance",
        str(MINI / "acceptance"),
        "--json",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "overall 1.000" in done.stdout
    for check in ("ruff", "format", "mypy", "own_tests", "acceptance", "dependencies"):
        assert check in done.stdout
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1
    assert data["overall"] == 1.0


def test_fail_under_sets_the_exit_status(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("not python")
    done = harness(
        "score", str(tmp_path), "--checks", "ruff", "--fail-under", "0.5", "-q"
    )
    assert done.returncode == 1
    assert done.stdout.strip() == "0.0000"


def test_committed_json_schemas_match_the_models() -> None:
    for name, model in schema_models().items():
        committed = ROOT / "docs" / "schemas" / f"{name}.schema.json"
        assert committed.exists(), f"run `harness schema export` to create {committed}"
        assert committed.read_text() == render(model), f"{committed} is stale"


def test_env_info_lists_the_locked_packages() -> None:
    done = harness("env", "info")
    assert done.returncode == 0, done.stderr
    for package in ("fastapi", "sqlalchemy", "mypy", "ruff", "pytest"):
        assert package in done.stdout
    assert "lock" in done.stdout
