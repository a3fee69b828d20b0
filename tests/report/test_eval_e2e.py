"""End to end: a real ``harness eval --model sim`` run writes reports and sets its status."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import pytest

from harness.report.detail import unpack
from harness.report.summary import SIM_BANNER

from .test_render import embedded

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def harness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_sim_eval_writes_reports_and_gates(tmp_path: Path) -> None:
    results = tmp_path / "results"
    junit = tmp_path / "junit.xml"
    done = harness(
        "eval", "--model", "sim", "--variant", "none",
        "--variant", "skill=path:skill/python-fastapi-developer",
        # Two tasks: --fail-under gates on the interval's lower bound, which one
        # task does not have.
        "--tasks", "fix-bugs-starter,crud-notes", "--epochs", "1",
        "--sim", "skill=1", "--sim", "none=0",
        "--out", str(results), "--run-id", "e2e", "-q",
        "--fail-under", "skill:overall=0.99", "--junit", str(junit),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    run = results / "e2e"
    assert "simulation" in done.stdout
    assert "gate pass --fail-under skill:overall=0.99 [skill]" in done.stdout
    summary = json.loads((run / "summary.json").read_text())
    assert summary["manifest"]["simulated"] is True
    rows = {
        row["arm"]: row
        for row in summary["samples"]
        if row["task"] == "fix-bugs-starter"
    }
    assert rows["skill"]["overall"] == 1.0  # the gold project
    assert rows["none"]["overall"] < 1.0  # a mutant
    html = (run / "report.html").read_text()
    assert SIM_BANNER in html
    assert SIM_BANNER in (run / "report.md").read_text()
    details = embedded(html, "details-data")
    assert isinstance(details, dict)
    gold = unpack(details["fix-bugs-starter/skill/0"])
    # the gold project is the task's reference: every file the same
    assert gold["files"]
    assert {f["state"] for f in gold["files"]} == {"same"}
    mutant = unpack(details["fix-bugs-starter/none/0"])
    assert "changed" in {f["state"] for f in mutant["files"]}
    assert "reply" in {e["type"] for e in gold["events"]}
    # the sample rows say what sim drew and why the mutant fell short
    listed = embedded(html, "rows-data")
    assert isinstance(listed, list)
    rows = {row["k"]: row for row in listed}
    assert rows["fix-bugs-starter/skill/0"]["drew"] == "gold"
    assert rows["fix-bugs-starter/skill/0"]["why"] == ""
    assert rows["fix-bugs-starter/none/0"]["drew"].startswith("mutant:")
    assert "first failing: " in rows["fix-bugs-starter/none/0"]["why"]
    # the side-by-side view diffs the mutant (baseline) against the gold project (skill)
    pairs = embedded(html, "pairs-data")
    assert isinstance(pairs, dict)
    pair = unpack(pairs["fix-bugs-starter/skill/0"])
    assert pair["baseline"] == "fix-bugs-starter/none/0"
    assert "changed" in {f["state"] for f in pair["files"]}
    assert (run / "report.md").read_text().startswith("**Verdict (simulated")
    assert ET.parse(junit).getroot().find("testsuite") is not None  # noqa: S314

    before = {
        p: (run / p).read_bytes() for p in ("report.html", "report.md", "summary.json")
    }
    again = harness(
        "report", "e2e", "--out", str(results), "--fail-under", "skill:overall=0.99"
    )
    assert again.returncode == 0, again.stderr
    assert {p: (run / p).read_bytes() for p in before} == before  # byte for byte
    other = harness(
        "report", "e2e", "--out", str(results), "--fail-under", "none:overall=0.99"
    )
    assert other.returncode == 1, other.stderr
    assert (
        "**Gate FAIL** `--fail-under none:overall=0.99 [none]`"
        in (run / "report.md").read_text()
    )


def test_sim_run_reports_what_each_probe_is_worth(tmp_path: Path) -> None:
    # Three tasks that all probe timezone-aware-timestamps, the skill arm always the
    # gold project and the baseline always a mutant: every probe's effect is positive,
    # the mutants' broken hidden tests flip to fixed, and the figures are the model's.
    results = tmp_path / "results"
    tasks = "timezone-timestamps,timezone-appointments,fix-bugs-starter"
    done = harness(
        "eval", "--model", "sim", "--variant", "none",
        "--variant", "skill=path:skill/python-fastapi-developer",
        "--tasks", tasks, "--epochs", "2", "--sim", "skill=1", "--sim", "none=0",
        "--out", str(results), "--run-id", "probes", "-q",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    run = results / "probes"
    summary = json.loads((run / "summary.json").read_text())
    parts = summary["parts"]
    assert parts["version"] == 1
    (variant,) = parts["variants"]
    rows = {row["probe"]: row for row in variant["probes"]}
    timestamps = rows["timezone-aware-timestamps"]
    assert sorted(timestamps["effect"]["tasks"]) == sorted(tasks.split(","))
    assert timestamps["section"] == "SKILL.md#gotchas"
    assert timestamps["variant_gap"] == 0.0  # the gold project every time
    by_task: dict[str, dict[str, list[float]]] = {}
    for row in summary["samples"]:
        by_task.setdefault(row["task"], {}).setdefault(row["arm"], []).append(
            row["overall"]
        )
    observed = [
        sum(arms["skill"]) / len(arms["skill"]) - sum(arms["none"]) / len(arms["none"])
        for arms in by_task.values()
    ]
    assert timestamps["effect"]["observed"] == pytest.approx(sum(observed) / 3)
    assert timestamps["effect"]["estimate"] > 0
    fixed = [
        flip
        for task in variant["flips"]
        for flip in task["flips"]
        if flip["direction"] == "fixed"
    ]
    assert fixed, "a mutant breaks at least one hidden test the gold project passes"
    assert not [
        f for t in variant["flips"] for f in t["flips"] if f["direction"] == "broken"
    ]
    gain = summary["headroom"]["gains"][0]
    assert gain["on_score"] == pytest.approx(1.0)  # the skill arm closes the whole gap
    markdown = (run / "report.md").read_text()
    assert "| timezone-aware-timestamps | `SKILL.md#gotchas` | 3 |" in markdown
    html = (run / "report.html").read_text()
    assert 'id="parts"' in html
    assert fixed[0]["name"] in html
