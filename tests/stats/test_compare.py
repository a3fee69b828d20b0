"""Comparisons and verdicts: a win only when the interval is above zero, edge cases included."""

import numpy as np
import pytest
from scipy import stats

from harness.stats import SampleScores, ScoreTable, analyze

from .helpers import paired, table

CLEAR_WIN = [0.12, 0.08, 0.15, 0.1, 0.05, 0.11, 0.09, 0.14, 0.07, 0.13]
NOISE = [0.1, -0.08, 0.05, -0.12, 0.02, 0.07, -0.03, -0.06, 0.04, 0.0]


def overall(t, variant="skill", **kwargs):
    return analyze(t, **kwargs).comparison(variant, "overall")


def test_a_clear_improvement_is_called_better_with_its_figures():
    result = overall(paired(CLEAR_WIN))
    assert result.verdict == "better"
    assert result.test.ci is not None
    assert result.test.ci.low > 0
    assert result.test.mean_diff == pytest.approx(np.mean(CLEAR_WIN))
    assert result.test.permutation_p_value == pytest.approx(2 / 2**10)
    assert result.verdict_text.startswith("better: +0.104")
    assert "above zero" in result.verdict_text


def test_a_clear_loss_is_called_worse():
    result = overall(paired([-d for d in CLEAR_WIN]))
    assert result.verdict == "worse"
    assert "below zero" in result.verdict_text


def test_an_interval_covering_zero_is_never_a_win_and_says_so():
    result = overall(paired(NOISE))
    assert result.test.ci is not None
    assert result.test.ci.low < 0 < result.test.ci.high
    assert result.verdict == "no detectable difference"
    assert result.verdict_text.startswith(
        "no detectable difference (interval covers zero)"
    )


def test_one_task_is_not_enough_data():
    result = overall(paired([0.3]))
    assert result.verdict == "not enough data"
    assert result.test.ci is None
    assert result.mde is None
    assert "1 task(s)" in result.verdict_text


def test_fewer_than_six_tasks_give_no_verdict_even_when_the_t_interval_clears_zero():
    result = overall(paired([0.2, 0.21, 0.19, 0.22, 0.2]))
    assert result.test.ci is not None
    assert result.test.ci.low > 0
    assert result.verdict == "not enough data"
    assert "a verdict needs 6" in result.verdict_text


@pytest.mark.parametrize(("n", "verdict"), [(4, "not enough data"), (7, "better")])
def test_identical_differences_have_zero_sd_and_need_enough_tasks(n, verdict):
    result = overall(paired([0.1] * n))
    assert result.test.sd == pytest.approx(0.0, abs=1e-12)
    assert result.test.ci is not None
    assert result.test.ci.low == pytest.approx(0.1)
    assert result.test.bootstrap_ci is not None
    assert result.test.bootstrap_ci.low == pytest.approx(0.1)
    assert result.verdict == verdict


def test_tasks_missing_from_one_arm_are_left_out_of_the_pairs():
    t = table(
        {
            "none": {"a": [0.5], "b": [0.6], "c": [0.4], "d": [0.7]},
            "skill": {"a": [0.7], "b": [0.7], "c": [0.6], "e": [0.9]},
        }
    )
    result = overall(t)
    assert result.tasks == ["a", "b", "c"]
    assert result.only_baseline == ["d"]
    assert result.only_variant == ["e"]
    assert result.test.n_tasks == 3
    expected = stats.ttest_rel([0.7, 0.7, 0.6], [0.5, 0.6, 0.4])
    assert result.test.t_p_value == pytest.approx(expected.pvalue)


def test_a_task_one_arm_lacks_leaves_every_arms_mean_not_just_the_pairs():
    # Task d: every baseline sample an infrastructure failure. The skill arm's mean
    # must not keep d while the paired difference drops it (they would disagree).
    samples = [
        SampleScores(task=t, variant=v, epoch=0, checks={"overall": x})
        for v, scores in (
            ("none", {"a": 0.5, "b": 0.6, "c": 0.4}),
            ("skill", {"a": 0.7, "b": 0.7, "c": 0.6, "d": 0.1}),
        )
        for t, x in scores.items()
    ]
    samples.append(SampleScores(task="d", variant="none", epoch=0, infra_failure=True))
    result = analyze(ScoreTable(samples=samples))
    skill, none = result.arm("skill", "overall"), result.arm("none", "overall")
    diff = result.comparison("skill", "overall").test.mean_diff
    assert skill.score.n_tasks == none.score.n_tasks == 3
    assert skill.score.mean is not None
    assert none.score.mean is not None
    assert skill.score.mean - none.score.mean == pytest.approx(diff)
    assert result.left_out == {"overall": {"d": ["none"]}}


def test_epochs_are_averaged_within_a_task_before_pairing():
    t = table(
        {
            "none": {"a": [0.2, 0.4], "b": [0.5, 0.5, 0.5], "c": [0.9]},
            "skill": {"a": [0.6], "b": [0.4, 0.8], "c": [0.7, 0.9, 1.0]},
        }
    )
    result = overall(t)
    # a: 0.6 - 0.3; b: 0.6 - 0.5; c: 2.6 / 3 - 0.9 (a sample mean would differ).
    assert result.test.mean_diff == pytest.approx(np.mean([0.3, 0.1, 2.6 / 3 - 0.9]))


def test_infrastructure_failures_are_excluded_and_counted_apart():
    base = paired(CLEAR_WIN)
    broken = [
        SampleScores(
            task=f"t{i:02d}", variant="skill", epoch=9, infra_failure=True, cost_usd=1.0
        )
        for i in range(3)
    ]
    stats_with = analyze(ScoreTable(samples=[*base.samples, *broken]))
    stats_without = analyze(base)
    assert stats_with.comparison("skill", "overall").test == (
        stats_without.comparison("skill", "overall").test
    )
    costs = {c.variant: c for c in stats_with.costs}
    assert costs["skill"].infra_failures == 3
    assert costs["skill"].cost_usd.total == pytest.approx(3.0)
    assert costs["none"].infra_failures == 0


def test_every_sample_failed_gives_zeros_and_no_win():
    samples = [
        SampleScores(task=t, variant=v, epoch=e, failed=True, checks={"overall": None})
        for t in "abcdef"
        for v in ("none", "skill")
        for e in range(2)
    ]
    result = analyze(ScoreTable(samples=samples))
    comparison = result.comparison("skill", "overall")
    assert comparison.test.mean_diff == 0.0
    assert comparison.verdict == "no detectable difference"
    assert comparison.mde is None
    arm = result.arm("skill", "overall")
    assert arm.score.mean == 0.0
    assert arm.pass_rate.rate == 0.0
    assert arm.pass_rate.n == 12
    assert {c.variant: c.failed for c in result.costs} == {"none": 12, "skill": 12}


def test_baseline_defaults_to_none_and_an_unknown_one_is_refused():
    t = table({"skill": {"a": [0.5], "b": [0.6]}, "none": {"a": [0.4], "b": [0.5]}})
    assert analyze(t).baseline == "none"
    assert analyze(t, baseline="skill").variants == ["skill", "none"]
    with pytest.raises(ValueError, match="baseline other is not a variant"):
        analyze(t, baseline="other")


def test_mde_is_the_effect_a_paired_t_test_detects_80_percent_of_the_time():
    rng = np.random.default_rng(11)
    result = overall(paired(list(rng.normal(0.0, 0.1, 12))))
    assert result.mde is not None
    sd = result.test.sd
    # Monte Carlo, independent of the noncentral t: normal differences of mean = mde.
    draws = rng.normal(result.mde, sd, size=(20000, 12))
    rejected = stats.ttest_1samp(draws, 0.0, axis=1).pvalue < 0.05
    assert rejected.mean() == pytest.approx(0.8, abs=0.015)


def test_an_interval_the_bootstrap_cannot_bound_says_so_and_names_the_t_interval():
    # One task of 33 moved: most resamples have no spread, so the verdict's interval
    # reaches +1. The number alone would read as "the effect may be +1".
    result = overall(paired([0.066] + [0.0] * 32))
    assert result.holm_ci is not None
    assert result.holm_ci.high == 1.0
    assert result.verdict == "no detectable difference"
    assert "the interval reaches +1" in result.verdict_text
    assert result.test.ci is not None
    assert f"{result.test.ci.low:+.3f} to {result.test.ci.high:+.3f}" in (
        result.verdict_text
    )


def test_an_ordinary_interval_gets_no_such_note():
    assert "the interval reaches" not in overall(paired(NOISE)).verdict_text
