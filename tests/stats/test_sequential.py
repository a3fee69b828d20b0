"""Confidence sequences: valid under repeated looks where a fixed interval is not."""

import numpy as np
import pytest
from scipy import stats

from harness.stats.sequential import (
    MIN_TASKS,
    StopQuestion,
    batches,
    confidence_sequence,
    task_order,
)


@pytest.mark.slow
def test_peeking_at_a_t_interval_errs_and_the_sequence_does_not():
    rng = np.random.default_rng(4)
    runs, looks = 1500, range(MIN_TASKS, 41, 2)
    t_missed = cs_missed = 0
    for _ in range(runs):
        d = rng.normal(0.0, 0.1, 40)
        t_missed += any(stats.ttest_1samp(d[:k], 0.0).pvalue < 0.05 for k in looks)
        cs_missed += any(
            not confidence_sequence(d[:k], 0.05, planned=40).covers(0.0) for k in looks
        )
    # Looking 18 times at a 95% t interval misses far more than 5% of the time.
    assert t_missed / runs > 0.12
    assert cs_missed / runs <= 0.05


def test_the_sequence_shrinks_around_the_mean_and_is_never_wider_than_before():
    rng = np.random.default_rng(2)
    d = rng.normal(0.05, 0.05, 60)
    widths = []
    previous = None
    for k in range(MIN_TASKS, 61, 3):
        ci = confidence_sequence(d[:k], 0.05, planned=60)
        if previous is not None:
            assert ci.low >= previous.low
            assert ci.high <= previous.high
        previous = ci
        widths.append(ci.high - ci.low)
    assert widths[-1] < widths[0] / 2
    assert previous is not None
    assert previous.covers(0.05)


def test_too_few_tasks_decide_nothing():
    ci = confidence_sequence([0.3] * (MIN_TASKS - 1), 0.05)
    assert (ci.low, ci.high) == (-1.0, 1.0)


def test_task_order_is_seeded_and_batches_cover_it():
    tasks = [f"t{i}" for i in range(10)]
    order = task_order(tasks, 3)
    assert order == task_order(list(reversed(tasks)), 3)
    assert sorted(order) == tasks
    assert order != task_order(tasks, 4)
    assert batches(order, 4) == [order[:4], order[4:8], order[8:]]


@pytest.mark.parametrize(
    ("margin", "low", "high", "settled"),
    [
        (None, 0.01, 0.2, True),
        (None, -0.01, 0.2, False),
        (None, -0.3, -0.01, True),
        (0.05, -0.04, 0.1, True),
        (0.05, -0.06, 0.1, False),
        (0.05, -0.3, -0.06, True),
    ],
)
def test_a_question_is_settled_when_the_interval_answers_it(margin, low, high, settled):
    from harness.stats import Interval

    question = StopQuestion(variant="skill", check="overall", margin=margin)
    ci = Interval(low=low, high=high, level=0.95, method="x")
    assert question.settled(ci) is settled
