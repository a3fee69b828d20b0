"""Validity by simulation: coverage of a planted effect and the false-win rate, seeded."""

import numpy as np
import pytest
from scipy import stats

from harness.stats.simulate import (
    OutcomeTable,
    TaskOutcomes,
    planted_effect,
    simulate_run,
    synthetic_outcomes,
    validity_study,
)

RUNS = 300
# A 99.9% binomial band around the nominal 95% coverage for RUNS runs: a correct
# procedure falls outside it once in a thousand seeds.
COVERAGE_BAND = (
    stats.binom.ppf(0.0005, RUNS, 0.95) / RUNS,
    stats.binom.ppf(0.9995, RUNS, 0.95) / RUNS,
)
# Upper limit for false wins: a win is one-sided, so the nominal rate is at most 2.5%;
# allowing the two-sided 5% and the 99.9% binomial band keeps the test robust.
FALSE_WIN_LIMIT = stats.binom.ppf(0.999, RUNS, 0.05) / RUNS


def test_planted_effect_is_exact():
    outcomes = OutcomeTable(
        {
            "a": TaskOutcomes(gold=1.0, mutants=[0.6, 0.8]),
            "b": TaskOutcomes(gold=0.9, mutants=[0.5], empty=0.2),
        }
    )
    # a: (0.8 - 0.5) * (1.0 - 0.7); b: (0.8 - 0.5) * (0.9 - 0.5); empty cancels out.
    assert planted_effect(outcomes, 0.8, 0.5) == pytest.approx((0.09 + 0.12) / 2)
    assert planted_effect(outcomes, 0.8, 0.5, p_empty=0.1) == pytest.approx(
        (0.09 + 0.12) / 2
    )
    assert planted_effect(outcomes, 0.6, 0.6) == 0.0


def test_simulated_runs_draw_as_the_sim_model_says():
    outcomes = synthetic_outcomes(6, 4, seed=9)
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(400):
        run = simulate_run(outcomes, {"none": 0.3, "skill": 0.9}, epochs=2, rng=rng)
        skill = np.mean(
            [s.checks["overall"] for s in run.samples if s.variant == "skill"]
        )
        none = np.mean(
            [s.checks["overall"] for s in run.samples if s.variant == "none"]
        )
        diffs.append(skill - none)
    assert len(run.samples) == 6 * 2 * 2
    allowed = {o.gold for o in outcomes.root.values()} | {
        m for o in outcomes.root.values() for m in o.mutants
    }
    assert {s.checks["overall"] for s in run.samples} <= allowed
    se = np.std(diffs, ddof=1) / np.sqrt(len(diffs))
    assert abs(np.mean(diffs) - planted_effect(outcomes, 0.9, 0.3)) < 4 * se


def test_synthetic_outcomes_are_seeded_and_plausible():
    table = synthetic_outcomes(20, 5, seed=1)
    assert table == synthetic_outcomes(20, 5, seed=1)
    assert table != synthetic_outcomes(20, 5, seed=2)
    for task in table.root.values():
        assert 0.92 <= task.gold <= 1.0
        assert all(m < task.gold for m in task.mutants)


def test_intervals_cover_a_planted_effect_and_false_wins_are_rare():
    outcomes = synthetic_outcomes(24, 6, seed=1)
    planted = validity_study(
        outcomes, 0.8, 0.5, runs=RUNS, epochs=3, seed=11, n_resamples=999
    )
    assert planted.planted_effect > 0.05
    low, high = COVERAGE_BAND
    assert low <= planted.coverage_t <= high, planted
    assert low <= planted.coverage_bootstrap <= high, planted
    assert planted.better > 0.5  # the effect is large enough to be found in most runs
    null = validity_study(
        outcomes, 0.6, 0.6, runs=RUNS, epochs=3, seed=12, n_resamples=999
    )
    assert null.planted_effect == 0.0
    assert low <= null.coverage_t <= high, null
    assert null.better <= FALSE_WIN_LIMIT, null
    assert null.better + null.worse <= FALSE_WIN_LIMIT, null
