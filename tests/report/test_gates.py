"""CI gating: the exit statuses the README documents, and the JUnit file."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import pytest

from harness.cli import main
from harness.errors import UsageError
from harness.report.gates import (
    parse_fail_under,
    parse_require_improvement,
    parse_require_no_worse,
)

from .helpers import make_run

if TYPE_CHECKING:
    from pathlib import Path


def status(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code or 0)


@pytest.fixture
def clear_win(results: Path) -> Path:
    """12 tasks, the skill planted 0.3 above the baseline with little noise."""
    make_run(
        results,
        run_id="win",
        tasks=12,
        epochs=2,
        effects={"none": 0.0, "skill": 0.3},
        noise=0.03,
    )
    return results


@pytest.fixture
def no_effect(results: Path) -> Path:
    make_run(
        results,
        run_id="flat",
        tasks=12,
        epochs=2,
        effects={"none": 0.0, "skill": 0.0},
        noise=0.1,
        seed=3,
    )
    return results


def test_improvement_required_and_present_exits_0(clear_win: Path) -> None:
    assert (
        status(
            ["report", "win", "--out", str(clear_win), "--require-improvement", "skill"]
        )
        == 0
    )


def test_improvement_required_and_absent_exits_1(no_effect: Path) -> None:
    assert (
        status(
            [
                "report",
                "flat",
                "--out",
                str(no_effect),
                "--require-improvement",
                "skill",
            ]
        )
        == 1
    )


def test_fail_under_gates_on_the_lower_bound_not_the_mean(clear_win: Path) -> None:
    import json

    assert status(["report", "win", "--out", str(clear_win)]) == 0
    summary = json.loads((clear_win / "win" / "summary.json").read_text())
    arm = next(
        a
        for a in summary["stats"]["arms"]
        if a["variant"] == "skill" and a["check"] == "overall"
    )
    low, mean = arm["score"]["ci"]["low"], arm["score"]["mean"]
    out = str(clear_win)
    # Between the bound and the mean: the old point-estimate gate passed, this fails.
    between = f"{(low + mean) / 2:.4f}"
    assert (
        status(["report", "win", "--out", out, "--fail-under", f"overall={between}"])
        == 1
    )
    below = f"{low - 0.01:.4f}"
    assert (
        status(["report", "win", "--out", out, "--fail-under", f"overall={below}"]) == 0
    )
    assert (
        status(
            ["report", "win", "--out", out, "--fail-under", f"skill:overall={between}"]
        )
        == 1
    )
    # the baseline's own gate is separate: none scores well below the skill
    assert (
        status(["report", "win", "--out", out, "--fail-under", f"none:overall={below}"])
        == 1
    )


def test_require_no_worse_passes_above_minus_margin_only(clear_win: Path) -> None:
    out = str(clear_win)
    # The skill is 0.3 better: no worse by any margin, the baseline 0.3 worse than it.
    assert (
        status(["report", "win", "--out", out, "--require-no-worse", "skill=0.0"]) == 0
    )
    assert (
        status(["report", "win", "--out", out, "--require-no-worse", "skill:ruff=0.01"])
        == 0
    )


def test_require_no_worse_fails_a_real_loss(results: Path) -> None:
    make_run(
        results,
        run_id="loss",
        tasks=12,
        epochs=2,
        effects={"none": 0.0, "skill": -0.05},
        noise=0.01,
    )
    out = str(results)
    assert (
        status(["report", "loss", "--out", out, "--require-no-worse", "skill=0.02"])
        == 1
    )
    assert (
        status(["report", "loss", "--out", out, "--require-no-worse", "skill=0.2"]) == 0
    )


def test_incomplete_run_exits_3_even_when_gates_pass(results: Path) -> None:
    make_run(results, run_id="holes", tasks=8, epochs=2, infra_rate=0.1, seed=1)
    assert status(["report", "holes", "--out", str(results)]) == 3


def test_missing_sample_exits_3(clear_win: Path) -> None:
    next((clear_win / "win" / "samples").glob("*/*/*.json")).unlink()
    assert status(["report", "win", "--out", str(clear_win)]) == 3


@pytest.mark.parametrize(
    ("flag", "value", "named"),
    [
        ("--fail-under", "overall", "CHECK=VALUE"),
        ("--fail-under", "overall=1.5", "CHECK=VALUE"),
        ("--fail-under", "nope=0.5", "no check 'nope'"),
        ("--fail-under", "ghost:overall=0.5", "no variant 'ghost'"),
        ("--require-improvement", "ghost", "no variant 'ghost'"),
        ("--require-improvement", "skill:", "VARIANT:CHECK"),
        ("--require-no-worse", "skill", "VARIANT[:CHECK]=MARGIN"),
        ("--require-no-worse", "skill=-0.1", "MARGIN in [0, 1]"),
        ("--require-no-worse", "ghost=0.1", "no variant 'ghost'"),
    ],
)
def test_bad_gate_exits_2_with_one_line(
    clear_win: Path,
    capsys: pytest.CaptureFixture[str],
    flag: str,
    value: str,
    named: str,
) -> None:
    assert status(["report", "win", "--out", str(clear_win), flag, value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("harness: error:")
    assert named in err[0]


def test_gate_parsing() -> None:
    gate = parse_fail_under("skill:acceptance=0.9")
    assert (gate.variant, gate.check, gate.threshold) == ("skill", "acceptance", 0.9)
    assert parse_fail_under("overall=0.5").variant is None
    assert parse_require_improvement("skill").check == "overall"
    with pytest.raises(UsageError):
        parse_fail_under("overall=nan")
    gate = parse_require_no_worse("skill-v2:acceptance=0.05")
    assert (gate.variant, gate.check, gate.threshold) == (
        "skill-v2",
        "acceptance",
        0.05,
    )
    assert parse_require_no_worse("v2=0.02").check == "overall"


def test_junit_has_one_case_per_gate_and_per_variant_check(
    clear_win: Path, tmp_path: Path
) -> None:
    junit = tmp_path / "gates.xml"
    code = status(
        [
            "report",
            "win",
            "--out",
            str(clear_win),
            "--junit",
            str(junit),
            "--require-improvement",
            "skill",
            "--fail-under",
            "overall=0.99",
        ]
    )
    assert code == 1
    root = ET.parse(junit).getroot()  # noqa: S314 - our own file
    gates = root.find("testsuite[@name='gates']")
    comparisons = root.find("testsuite[@name='comparisons']")
    assert gates is not None
    assert comparisons is not None
    names = [case.get("name") for case in gates.findall("testcase")]
    assert names == [
        "--fail-under overall=0.99 [skill]",
        "--require-improvement skill [skill]",
        "run complete",
    ]
    failed = [
        c.get("name")
        for c in gates.findall("testcase")
        if c.find("failure") is not None
    ]
    assert failed == ["--fail-under overall=0.99 [skill]"]
    checks = {case.get("name") for case in comparisons.findall("testcase")}
    assert checks == {
        "overall",
        "ruff",
        "format",
        "mypy",
        "own_tests",
        "acceptance",
        "dependencies",
        "conformance",
    }
    assert comparisons.get("tests") == "8"
