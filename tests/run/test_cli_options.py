"""harness eval, generate and plan from the command line: what is refused (one line, exit
status 2, nothing written) and what a --no-score run exits with."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from harness.cli import main
from harness.run.layout import RunLayout
from harness.run.store import RunStore
from harness.tasks.loader import Task

SKILL = Path(__file__).resolve().parents[2] / "skill" / "python-fastapi-developer"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code or 0)


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert run(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("harness: error: ")
    return lines[0]


def test_a_misspelt_sim_arm_is_refused_before_anything_is_written(
    task: Task, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results"
    line = refused(
        [
            "eval",
            "--model",
            "sim",
            "--tasks",
            str(task.root),
            "--out",
            str(out),
            "--variant",
            "none",
            "--variant",
            f"skill=path:{SKILL}",
            "--sim",
            "skil=0.9",
            "--sim",
            "none=0.5",
            "--run-id",
            "demo",
        ],
        capsys,
    )
    assert "--sim skil=0.9: no variant is labelled skil; did you mean skill?" in line
    assert not RunLayout.of(out, "demo").root.exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["eval", "--model", "reference", "--sim", "skill=0.9"],
            "--sim only applies to --model sim, not --model reference: did you mean",
        ),
        (
            [
                "generate",
                "--task",
                "crud-notes",
                "--model",
                "sim",
                "--temperature",
                "1",
            ],
            "--model sim calls no model API, so --temperature would be ignored",
        ),
        (
            [
                "eval",
                "--model",
                "sim",
                "--no-score",
                "--fail-under",
                "overall=0.5",
                "--tasks",
                "smoke",
            ],
            "gates need scores: drop --no-score",
        ),
        (
            ["eval", "--model", "sim", "--variant", "s=path:skill/x@ondemand"],
            "unknown delivery @ondemand: did you mean @on-demand?",
        ),
        (
            ["plan", "demo", "--effect", "5"],
            "--effect 5: scores lie in [0, 1], so a difference lies in [-1, 1]",
        ),
        (["plan", "demo", "--effect", "0"], "above 0 and at most 1"),
    ],
)
def test_options_that_do_not_apply_are_one_line_and_exit_2(
    argv: list[str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may land in the checkout
    assert expected in refused(argv, capsys)
    assert not (tmp_path / "results").exists()


def test_a_no_score_run_exits_0_and_a_rerun_needs_a_new_run_id(
    task: Task, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --no-score asked for generation only: done is done (the README's table says so);
    # `harness rescore` then scores and gives the run's status.
    out = tmp_path / "results"
    argv = [
        "eval", "--model", "reference", "--tasks", str(task.root), "--no-score",
        "--out", str(out), "--run-id", "gen", "-q",
    ]  # fmt: skip
    assert run(argv) == 0
    layout = RunLayout.of(out, "gen")
    records = RunStore(layout).samples()
    assert records
    assert all(r.generation is not None and r.score is None for r in records)
    # Every file it wrote has the permissions open() gives (0644 under umask 022).
    readable = 0o666 & ~_umask()
    for written in [layout.report("html"), layout.report("md"), *layout.sample_files()]:
        assert stat.S_IMODE(written.stat().st_mode) == readable, written
    capsys.readouterr()
    line = refused(argv, capsys)
    assert "run gen already exists" in line
    assert "--resume gen, or choose another --run-id" in line
