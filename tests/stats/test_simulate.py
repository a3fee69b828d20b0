"""Validity by simulation: coverage of a planted effect and the false-win rate, seeded."""

import numpy as np
import pytest
from scipy import stats

from benchmarks.support.simulate import (
    OutcomeTable,
    TaskOutcomes,
    planted_effect,
    simulate_run,
    synthetic_outcomes,
)
from benchmarks.support.validity import run_scenario

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
    # a: (0.8 - 0.5) * (1.0 - 0.7); b: (0.8 - 0.5) * (0.9 - 0.5).
    assert planted_effect(outcomes, 0.8, 0.5) == pytest.approx((0.09 + 0.12) / 2)
    # --sim-empty 0.1 makes 10% of the non-gold answers empty, in each arm: a
    # non-gold answer is then worth 0.1 * e + 0.9 * mbar (a: 0.63, b: 0.47).
    assert planted_effect(outcomes, 0.8, 0.5, p_empty=0.1) == pytest.approx(
        0.3 * ((1.0 - 0.63) + (0.9 - 0.47)) / 2
    )
    assert planted_effect(outcomes, 0.6, 0.6) == 0.0
    # Per-task chances: only task b differs.
    assert planted_effect(outcomes, {"a": 0.5, "b": 0.8}, 0.5) == pytest.approx(0.06)


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


def test_empty_answers_are_drawn_as_the_sim_model_draws_them():
    from harness.models.sim import SimSettings, draw

    outcomes = OutcomeTable({"a": TaskOutcomes(gold=1.0, mutants=[0.5], empty=0.0)})
    rng = np.random.default_rng(3)
    table = simulate_run(outcomes, {"none": 0.5}, epochs=20000, rng=rng, p_empty=0.4)
    values = [s.checks["overall"] for s in table.samples]
    settings = SimSettings(gold={"none": 0.5}, empty=0.4)
    model = [
        draw(settings, task="a", arm="none", epoch=e, mutants=["m"])
        for e in range(20000)
    ]
    # Both: gold 50%, empty 0.5 * 0.4 = 20%, a mutant 30%.
    for share, expected in (
        (np.mean([v == 0.0 for v in values]), np.mean([m == "empty" for m in model])),
        (np.mean([v == 1.0 for v in values]), np.mean([m == "gold" for m in model])),
    ):
        assert share == pytest.approx(expected, abs=0.02)


def test_the_scenarios_err_at_their_nominal_rates():
    outcomes = synthetic_outcomes(24, 6, seed=1)
    planted = run_scenario("planted", outcomes, runs=RUNS, seed=11, resamples=999)
    low, high = COVERAGE_BAND
    assert low <= planted.measured.rate <= high, planted
    assert low <= planted.others["t covers"].rate <= high, planted
    assert planted.others["better"].rate > 0.5  # large enough to be found in most runs
    null = run_scenario("null", outcomes, runs=RUNS, seed=12, resamples=999)
    assert null.measured.rate <= FALSE_WIN_LIMIT, null
    assert null.others["false call"].rate <= FALSE_WIN_LIMIT, null
    assert null.within
