"""The headline: per arm the effect, its interval, a one-word verdict, the pass-rate change
with its paired test, and the cost; ``report.md`` starts with the verdict in one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from harness.report import conclude
from harness.report.headline import headline, one_line, verdict_word
from harness.report.passrate import pass_rate_changes
from harness.run.layout import RunLayout
from harness.stats import SampleScores, ScoreTable, analyze
from harness.stats.paired import paired_test

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from pathlib import Path


def sample(task: str, arm: str, epoch: int, overall: float) -> SampleScores:
    return SampleScores(
        task=task, variant=arm, epoch=epoch, checks={"overall": overall}
    )


def test_pass_rate_change_pairs_task_shares_and_leaves_unpaired_tasks_out() -> None:
    rows = []
    # baseline passes 1 of 2 epochs on t0, none elsewhere; the skill passes everywhere
    for t in range(6):
        for e in range(2):
            rows.append(sample(f"t{t}", "none", e, 1.0 if (t, e) == (0, 0) else 0.5))
            rows.append(sample(f"t{t}", "skill", e, 1.0))
    rows.append(sample("only-skill", "skill", 0, 1.0))  # no baseline: not paired
    table = ScoreTable(samples=rows)
    stats = analyze(table, baseline="none", n_resamples=RESAMPLES)
    (change,) = pass_rate_changes(table, stats, RESAMPLES)
    assert change.variant == "skill"
    assert change.test.n_tasks == 6
    assert change.baseline_rate == pytest.approx(0.5 / 6)
    assert change.variant_rate == pytest.approx(1.0)
    expected = paired_test([0.5, 1, 1, 1, 1, 1], n_resamples=RESAMPLES)
    assert change.test.mean_diff == pytest.approx(expected.mean_diff)
    assert change.test.ci == expected.ci
    # six tasks all in one direction: the exact sign-flip p is 2 / 2**6
    assert change.test.permutation_p_value == pytest.approx(2 / 64)


def test_verdict_words() -> None:
    assert verdict_word("better") == "better"
    assert verdict_word("worse") == "worse"
    assert verdict_word("no detectable difference") == "inconclusive"
    assert verdict_word("not enough data") == "insufficient"


def test_headline_card_and_report_md_first_line(results: Path) -> None:
    manifest, records = make_run(
        results,
        run_id="hl",
        tasks=12,
        epochs=2,
        effects={"none": 0.0, "skill": 0.35, "pasted": 0.0},
        noise=0.05,
        seed=3,
    )
    layout = RunLayout.of(results, "hl")
    conclusion = conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    summary = conclusion.summary
    arms = {arm.variant: arm for arm in headline(summary)}
    assert set(arms) == {"skill", "pasted"}
    skill = arms["skill"]
    assert skill.word == "better"
    assert skill.ci is not None
    assert skill.ci.low > 0
    assert skill.effect == pytest.approx(0.35, abs=0.1)
    assert skill.pass_rate is not None
    assert skill.pass_rate.test.n_tasks == 12
    assert skill.cost is not None
    assert skill.cost.cost_usd.mean == pytest.approx(0.01)
    assert arms["pasted"].word in {"inconclusive", "better", "worse"}
    # summary.json keeps its fields and carries the pass-rate changes
    data = summary.model_dump(mode="json")
    assert {"stats", "power", "samples", "completeness"} <= set(data)
    assert {p["variant"] for p in data["pass_rates"]} == {"skill", "pasted"}

    markdown = layout.report("md").read_text()
    first = markdown.splitlines()[0]
    assert first == one_line(summary)
    assert first.startswith("**Verdict (simulated: measures no skill):** ")
    assert "skill vs none: **better**, overall +0.3" in first
    assert "pasted vs none" in first

    html = layout.report("html").read_text()
    card = html[
        html.index('<section id="headline"') : html.index('<section id="summary"')
    ]
    assert 'class="word w-better"' in card
    assert f"{skill.effect:+.3f}" in card
    assert "pass rate" in card
    assert "sign-flip p =" in card
    assert "$0.0100/sample" in card
    # The family's name keeps its capital in both reports (Jinja's capitalize
    # lowercased it: "One holm family").
    assert "One Holm family of" in markdown
    assert "One Holm family of" in html


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"effects": {"none": 0.0}}, "nothing compared"),
        ({"infra_rate": 1.0}, "no statistics"),
    ],
    ids=["one-arm", "no-stats"],
)
def test_one_line_verdict_of_degenerate_runs(
    results: Path, fields: dict[str, object], words: str
) -> None:
    manifest, records = make_run(results, run_id="dg", **fields)
    conclusion = conclude(
        manifest, RunLayout.of(results, "dg"), records, gates=[], n_resamples=RESAMPLES
    )
    first = (results / "dg" / "report.md").read_text().splitlines()[0]
    assert first.startswith("**Verdict")
    assert words in first
    assert headline(conclusion.summary) == []
