"""One family for the whole run: weighted Holm over every variant x check that varies."""

import itertools

import pytest

from harness.stats import SampleScores, ScoreTable, analyze, holm
from harness.stats.family import family_weights, level_label, weighted_holm

CLEAR_WIN = [0.12, 0.08, 0.15, 0.1, 0.05, 0.11, 0.09, 0.14, 0.07, 0.13]
NOISE = [0.1, -0.08, 0.05, -0.12, 0.02, 0.07, -0.03, -0.06, 0.04, 0.0]


def run(arms: dict[str, dict[str, list[float]]]) -> ScoreTable:
    """``{variant: {check: per-task differences}}`` against a flat 0.5 baseline."""
    n = len(next(iter(next(iter(arms.values())).values())))
    checks = list(next(iter(arms.values())))
    samples = [
        SampleScores(
            task=f"t{i:02d}",
            variant="none",
            epoch=0,
            checks=dict.fromkeys(checks, 0.5),
        )
        for i in range(n)
    ]
    for variant, by_check in arms.items():
        samples += [
            SampleScores(
                task=f"t{i:02d}",
                variant=variant,
                epoch=0,
                checks={check: 0.5 + d[i] for check, d in by_check.items()},
            )
            for i in range(n)
        ]
    return ScoreTable(samples=samples)


def test_equal_weights_are_holm():
    p = [0.01, 0.04, 0.03, 0.005]
    adjusted, levels = weighted_holm(p, [1, 1, 1, 1])
    assert adjusted == pytest.approx(holm(p))
    # Steps: 0.005 at alpha/4, 0.01 at alpha/3, 0.03 at alpha/2, 0.04 at alpha.
    assert levels == pytest.approx([1 - 0.05 / 3, 1 - 0.05, 1 - 0.05 / 2, 1 - 0.05 / 4])


def test_weighted_holm_controls_the_family_by_enumeration():
    # Brute force on a grid: whenever a true null's p is uniform, the procedure must
    # reject it with probability <= alpha * (its share of the weight at worst).
    weights = [0.5, 0.25, 0.25]
    grid = [i / 40 for i in range(1, 41)]
    rejected = 0
    for p0 in grid:  # the null; the others are strong effects
        adjusted, _ = weighted_holm([p0, 1e-6, 1e-6], weights)
        rejected += adjusted[0] <= 0.05
    assert rejected / len(grid) <= 0.05 + 1 / 40
    # And the adjusted p-value is the smallest alpha at which the step rejects.
    adjusted, _levels = weighted_holm([0.02, 0.001, 0.3], weights)
    assert adjusted[1] == pytest.approx(0.001 / 0.25)
    assert adjusted[0] == pytest.approx(0.02 / 0.5 * 0.75)


def test_overall_carries_half_the_weight_split_across_variants():
    assert family_weights(["overall", "overall", "ruff", "mypy", "ruff", "mypy"]) == (
        pytest.approx([0.25, 0.25, 0.125, 0.125, 0.125, 0.125])
    )
    assert family_weights(["overall", "overall"]) == pytest.approx([0.5, 0.5])
    assert family_weights(["ruff", "mypy"]) == pytest.approx([0.5, 0.5])


def test_level_labels_name_holm_only_for_a_family():
    assert level_label(0.95, 1) == "95%"
    assert level_label(1 - 0.05 / 4, 3) == "Holm 98.8%"


def test_every_variant_and_check_is_one_family_and_a_flat_check_leaves_it():
    table = run(
        {
            "a": {"overall": CLEAR_WIN, "ruff": NOISE, "format": [0.0] * 10},
            "b": {"overall": NOISE, "ruff": CLEAR_WIN, "format": [0.0] * 10},
            "c": {"overall": NOISE, "ruff": NOISE, "format": [0.0] * 10},
        }
    )
    stats = analyze(table)
    assert stats.family_size == 6  # format never varies: left out
    fmt = stats.comparison("a", "format")
    assert not fmt.in_family
    assert fmt.holm_p_value is None
    assert "did not vary" in fmt.verdict_text
    win = stats.comparison("a", "overall")
    assert win.verdict == "better"
    assert "family of 6" in win.verdict_text
    assert win.interval_label.startswith("Holm ")
    assert win.interval_label.endswith("t+bootstrap-t")
    assert win.holm_ci is not None
    # Its step level is named and is the one its interval was computed at.
    assert win.interval_label.split()[1] == f"{100 * win.holm_ci.level:.3g}%"
    for variant, check in itertools.product("abc", ("overall", "ruff")):
        item = stats.comparison(variant, check)
        assert item.in_family
        assert item.family_size == 6
        assert item.holm_p_value is not None
        assert item.p_value is not None
        assert item.holm_p_value >= item.p_value


def test_a_check_that_clears_zero_alone_is_not_confirmed_in_a_bigger_family():
    # Primary p = 0.022 alone: a win at 0.05, not at Holm's first step of 5 (0.01).
    moderate = [0.11, 0.06, 0.09, -0.01, 0.07, 0.04, -0.03, 0.08, 0.03, 0.02]
    alone = analyze(run({"skill": {"overall": moderate}})).comparison(
        "skill", "overall"
    )
    assert alone.verdict == "better"
    many = analyze(
        run({v: {"overall": moderate if v == "a" else NOISE} for v in "abcde"})
    ).comparison("a", "overall")
    assert many.family_size == 5
    assert many.verdict == "no detectable difference"
