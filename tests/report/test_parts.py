"""What each part of the skill is worth: per-probe rows, flips, headroom, in every report."""

from __future__ import annotations

import json
from statistics import fmean

import pytest

from benchmarks.support.synthetic import SyntheticRun, manifest_of
from harness.report.flips import task_flips
from harness.report.parts import CONTROLS
from harness.report.render import Drilldowns, render_html, render_markdown
from harness.report.scores import score_table
from harness.report.summary import RunSummary, build_summary
from harness.run.records import Failure, RunManifest, SampleRecord
from harness.scoring.results import (
    CheckResult,
    EnvironmentSummary,
    Finding,
    ProjectScore,
)
from harness.stats.hierarchy import fit_effects
from harness.stats.strata import group_effects
from harness.tasks.probes import Probe, ProbeCatalog

from .helpers import RESAMPLES

_ENV = EnvironmentSummary(lock_hash="t", python="3.12", tools={})


def score(
    overall: float,
    failed: tuple[str, ...] = (),
    rules: dict[str, str] | None = None,
    acceptance: str | None = None,
) -> ProjectScore:
    """A project score with acceptance findings and conformance rule figures."""
    checks = [
        CheckResult(
            name="acceptance",
            status=acceptance or ("fail" if failed else "pass"),  # type: ignore[arg-type]
            score=overall,
            duration_s=1.0,
            findings=[Finding(code="failed", message="assert", path=t) for t in failed],
        ),
        CheckResult(
            name="conformance",
            status="fail" if "fail" in (rules or {}).values() else "pass",
            score=1.0,
            duration_s=0.2,
            figures={f"rule:{k}": v for k, v in (rules or {}).items()},
        ),
    ]
    return ProjectScore(
        harness_version="t",
        project="p",
        project_hash="h",
        entrypoint="app.main:app",
        sandbox="none",
        environment=_ENV,
        weights={"acceptance": 1.0, "conformance": 0.0},
        overall=overall,
        checks=checks,
    )


def record(manifest: RunManifest, task: str, arm: str, epoch: int, value: ProjectScore):
    spec = next(
        s for s in manifest.specs() if (s.task, s.arm, s.epoch) == (task, arm, epoch)
    )
    return SampleRecord(spec=spec, score=value)


def test_a_test_or_rule_flips_when_it_fails_in_most_runs_of_one_arm_only():
    manifest = manifest_of(SyntheticRun(tasks=1, epochs=3))
    task = manifest.tasks[0].id
    ok = {"lifespan": "pass", "src-layout": "n/a"}
    base = [
        record(manifest, task, "none", 0, score(0.5, ("t.py::a", "t.py::b"), ok)),
        record(manifest, task, "none", 1, score(0.5, ("t.py::a",), ok)),
        record(manifest, task, "none", 2, score(0.0, acceptance="error")),
    ]
    ours = [
        record(manifest, task, "skill", e, score(1.0, rules={"lifespan": "fail"}))
        for e in range(2)
    ] + [record(manifest, task, "skill", 2, score(1.0, ("t.py::b",)))]
    flips = task_flips(task, base, ours)
    assert flips.unknown_baseline == 1  # the app did not start: no single test known
    found = {(f.kind, f.name): f for f in flips.flips}
    a = found["acceptance", "t.py::a"]
    assert (a.direction, a.baseline_failed, a.baseline_runs) == ("fixed", 2, 2)
    assert (a.variant_failed, a.variant_runs) == (0, 3)
    assert ("acceptance", "t.py::b") not in found  # 1 of 2 without, 1 of 3 with
    rule = found["conformance", "lifespan"]
    assert (rule.direction, rule.variant_failed, rule.variant_runs) == ("broken", 2, 2)
    assert flips.flips[0].direction == "broken"  # what got worse comes first


def probe_run() -> tuple[RunManifest, list[SampleRecord]]:
    """Nine tasks: three probe rule x (the skill helps a lot), three rule y (it does not,
    and the skill arm stays below gold), three probe nothing; two kinds."""
    manifest = manifest_of(SyntheticRun(tasks=9, epochs=2, simulated=True))
    tasks = []
    for i, entry in enumerate(manifest.tasks):
        probes = ["rule-x"] if i < 3 else ["rule-y"] if i < 6 else []
        kind = "fix" if i % 3 == 0 else "greenfield"
        tasks.append(entry.model_copy(update={"probes": probes, "kind": kind}))
    manifest = manifest.model_copy(update={"tasks": tasks})
    records = []
    for i, entry in enumerate(manifest.tasks):
        for e in range(2):
            wobble = 0.01 * ((i + e) % 3)
            if i < 3:
                none, skill = 0.4 + wobble, 0.95 + wobble / 2
            elif i < 6:
                none, skill = 0.6 + wobble, 0.6 + wobble
            else:
                none, skill = 0.8 + wobble, 0.85 + wobble
            failing = ("test_x.py::test_rule",) if none < 0.5 else ()
            records.append(record(manifest, entry.id, "none", e, score(none, failing)))
            records.append(record(manifest, entry.id, "skill", e, score(skill)))
    return manifest, records


CATALOG = ProbeCatalog(
    probes={
        "rule-x": Probe(summary="Does x.", skill="SKILL.md#x"),
        "rule-y": Probe(
            summary="Does y.", skill="references/y.md#why", conformance="y"
        ),
    }
)


@pytest.fixture
def summary(monkeypatch: pytest.MonkeyPatch) -> RunSummary:
    monkeypatch.setattr("harness.report.summary.probe_catalog", lambda: CATALOG)
    manifest, records = probe_run()
    return build_summary(manifest, records, n_resamples=RESAMPLES)


def test_probe_rows_say_what_to_do_and_match_the_model(summary: RunSummary):
    assert summary.parts is not None
    assert summary.parts.version == 1
    (parts,) = summary.parts.variants
    rows = {row.probe: row for row in parts.probes}
    assert set(rows) == {"rule-x", "rule-y", CONTROLS}
    x, y = rows["rule-x"], rows["rule-y"]
    assert x.section == "SKILL.md#x"
    assert y.conformance_rule == "y"
    assert x.action == "keep"
    assert x.reading.startswith("helps")
    assert y.action == "edit"
    assert "references/y.md#why" in y.reading
    assert y.variant_gap == pytest.approx(1 - fmean([0.6, 0.61, 0.61, 0.62, 0.62, 0.6]))
    assert parts.edit_next == [
        "references/y.md#why: rule-y (3 tasks still "
        f"{y.variant_gap:.3f} below gold, no detectable gain)"
    ]
    # the figures are the model's: refit from the stored samples
    by_arm: dict[str, dict[str, list[float]]] = {"none": {}, "skill": {}}
    for row in summary.samples:
        assert row.overall is not None
        by_arm[row.arm].setdefault(row.task, []).append(row.overall)
    fit = fit_effects(by_arm["skill"], by_arm["none"])
    assert fit is not None
    assert parts.spread.tau == pytest.approx(fit.tau)
    expected = group_effects(fit, {"rule-x": x.effect.tasks})[0]
    assert x.effect.estimate == pytest.approx(expected.estimate)
    assert x.effect.family_size == 3  # rule-x, rule-y and the controls
    kinds = {k.group: k for k in parts.kinds}
    assert set(kinds) == {"fix", "greenfield"}
    assert len(kinds["fix"].tasks) == 3
    flipped = parts.task_flips(x.effect.tasks[0])
    assert flipped is not None
    assert [(f.name, f.direction) for f in flipped.flips] == [
        ("test_x.py::test_rule", "fixed")
    ]


def test_headroom_and_normalised_gain(summary: RunSummary):
    assert summary.headroom is not None
    none, skill = summary.headroom.arms
    assert none.gap == pytest.approx(1 - none.mean)  # type: ignore[operator]
    (gain,) = summary.headroom.gains
    assert gain.on_score == pytest.approx(
        (skill.mean - none.mean) / (1 - none.mean)  # type: ignore[operator]
    )


def test_the_parts_appear_in_markdown_and_html_and_old_summaries_still_load(
    summary: RunSummary,
):
    markdown = render_markdown(summary)
    assert "## What each part of the skill is worth" in markdown
    assert (
        "| rule-y (small) | `references/y.md#why` | 3 |" not in markdown
    )  # 3 is not small
    assert "| rule-y | `references/y.md#why` | 3 |" in markdown
    assert "**Edit next:**" in markdown
    assert "## Headroom: distance to gold (1.0)" in markdown
    html = render_html(summary, Drilldowns(packed={}), score_table(probe_run()[1]))
    assert '<section id="parts">' in html
    assert "test_x.py::test_rule" in html  # the drill-down
    assert '<a href="#parts">skill parts</a>' in html  # in the navigation bar
    assert "of the baseline's distance to gold" in html  # in the arm's headline card
    assert "Normalised gain of <b>skill</b>" in html
    old = json.loads(summary.model_dump_json())
    del old["parts"], old["headroom"]
    assert RunSummary.model_validate(old).parts is None


def test_a_run_with_an_infra_failure_only_in_one_arm_keeps_its_pairs(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr("harness.report.summary.probe_catalog", lambda: None)
    manifest, records = probe_run()
    first = records[1].spec  # skill arm of the first task
    records[1] = SampleRecord(
        spec=first, failure=Failure(stage="score", kind="infra", reason="sandbox")
    )
    summary = build_summary(manifest, records, n_resamples=RESAMPLES)
    assert summary.parts is not None
    rows = {row.probe: row for row in summary.parts.variants[0].probes}
    assert rows["rule-x"].section is None  # no catalogue: the id alone
    assert len(rows["rule-x"].effect.tasks) == 3  # the other epoch still pairs it
