"""Retry policy, the adaptive concurrency limiter, per-sample budgets and the price table."""

import asyncio
import random

import pytest

from harness.errors import UsageError
from harness.models import (
    BudgetExceeded,
    GenerationParams,
    Message,
    ModelError,
    ModelReply,
    Usage,
)
from harness.models.budget import Budget, BudgetedModel, BudgetTracker
from harness.models.pricing import BUILTIN_PRICES, load_prices, read_price_file
from harness.models.retry import ConcurrencyLimiter, RetryPolicy, call_with_retries
from tests.models.conftest import run


def test_backoff_is_jittered_capped_and_honours_retry_after():
    policy = RetryPolicy(base_s=1.0, max_s=4.0, max_retry_after_s=30)
    rng = random.Random(1)  # noqa: S311
    plain = ModelError("server_error", "x")
    delays = [policy.delay(n, plain, rng) for n in range(1, 8) for _ in range(20)]
    assert all(0 <= d <= 4.0 for d in delays)
    assert len(set(delays)) > 100  # jittered, not a fixed schedule
    assert policy.delay(1, ModelError("rate_limited", "x", retry_after_s=12), rng) == 12
    assert (
        policy.delay(1, ModelError("rate_limited", "x", retry_after_s=999), rng) == 30
    )


def test_retries_only_transient_errors():
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ModelError("overloaded", "busy")
        return "ok"

    async def bad():
        calls.append(1)
        raise ModelError("bad_request", "no such param")

    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    policy = RetryPolicy(max_attempts=5, base_s=0.5)
    assert run(call_with_retries(flaky, policy=policy, sleep=sleep)) == ("ok", 3)
    assert len(slept) == 2
    calls.clear()
    with pytest.raises(ModelError) as caught:
        run(call_with_retries(bad, policy=policy, sleep=sleep, model="m:x"))
    assert len(calls) == 1
    assert str(caught.value) == "m:x: bad_request: no such param"


def test_limiter_caps_calls_in_flight():
    limiter = ConcurrencyLimiter(3)

    async def one():
        async with limiter.slot():
            await asyncio.sleep(0.01)

    async def many():
        await asyncio.gather(*(one() for _ in range(12)))

    run(many())
    assert limiter.peak_in_flight == 3
    assert limiter.in_flight == 0


def test_limiter_halves_on_rate_limit_pauses_and_recovers():
    limiter = ConcurrencyLimiter(8, recover_after=2)
    limiter.on_rate_limited(0.1)
    assert limiter.limit == 4
    limiter.on_rate_limited(0.1)
    assert limiter.limit == 2

    async def timed():
        loop = asyncio.get_running_loop()
        start = loop.time()
        async with limiter.slot():
            pass
        return loop.time() - start

    assert run(timed()) >= 0.09  # new calls wait out the pause
    for _ in range(4):
        limiter.on_success()
    assert limiter.limit == 4
    for _ in range(100):
        limiter.on_success()
    assert limiter.limit == 8


def test_rate_limits_shrink_the_shared_limiter_under_load():
    limiter = ConcurrencyLimiter(4)
    budget = {"left": 3}

    async def call():
        if budget["left"] > 0:
            budget["left"] -= 1
            raise ModelError("rate_limited", "429", retry_after_s=0.01)
        return 1

    async def many():
        policy = RetryPolicy(max_attempts=10)
        return await asyncio.gather(
            *(call_with_retries(call, policy=policy, limiter=limiter) for _ in range(6))
        )

    results = run(many())
    assert [r for r, _ in results] == [1] * 6
    assert limiter.rate_limited == 3
    assert limiter.limit < 4


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _reply(tokens=100, cost=0.01):
    return ModelReply(text="x", usage=Usage(input_tokens=tokens), cost_usd=cost)


@pytest.mark.parametrize(
    ("budget", "reason", "spend"),
    [
        (Budget(max_turns=2), "turns", 2),
        (Budget(max_tokens=250), "tokens", 3),
        (Budget(max_cost_usd=0.025), "cost", 3),
    ],
)
def test_budget_runs_out(budget, reason, spend):
    tracker = BudgetTracker(budget, clock=_Clock())
    for _ in range(spend):
        tracker.check()
        tracker.charge(_reply())
    with pytest.raises(BudgetExceeded) as caught:
        tracker.check()
    assert caught.value.reason == reason
    assert tracker.summary()["exhausted"] == reason
    assert str(caught.value).startswith(f"budget exhausted: {reason}: ")


def test_budget_time_and_unknown_cost():
    clock = _Clock()
    tracker = BudgetTracker(Budget(max_wall_s=60, max_cost_usd=1), clock=clock)
    tracker.charge(
        ModelReply(cost_usd=None)
    )  # no price: never exhausts the cost budget
    tracker.check()
    assert tracker.remaining_s() == 60
    clock.now += 61
    assert tracker.remaining_s() == 0
    with pytest.raises(BudgetExceeded, match="time"):
        tracker.check()


class _Slow:
    name = "slow"
    priced = True

    async def complete(self, *_args):
        await asyncio.sleep(5)
        return ModelReply()

    async def aclose(self):
        pass


def test_budgeted_model_cuts_a_call_at_the_time_limit():
    tracker = BudgetTracker(Budget(max_wall_s=0.1))
    model = BudgetedModel(_Slow(), tracker)
    with pytest.raises(BudgetExceeded) as caught:
        run(
            model.complete(
                "s", [Message(role="user", content="x")], [], GenerationParams()
            )
        )
    assert caught.value.reason == "time"
    assert tracker.exhausted is caught.value


def test_builtin_prices_validate_and_match_narrowly():
    table = load_prices()
    assert table.find("claude-opus-4-1-20250805").input == 15.0
    assert table.find("claude-opus-4-5-20251101").input == 5.0
    assert table.find("claude-opus-4-8") is None  # never priced as an older model
    assert table.find("gpt-5.1") is None
    assert table.find("gpt-4.1-mini-2025-04-14").output == 1.6
    usage = Usage(
        input_tokens=1_000_000, output_tokens=1_000_000, cache_read_tokens=1_000_000
    )
    assert table.cost(usage, "gpt-4.1") == pytest.approx(2 + 8 + 0.5)
    assert table.cost(usage, "unknown-model") is None


def test_user_price_file_overrides_and_extends(tmp_path, monkeypatch):
    mine = tmp_path / "prices.toml"
    mine.write_text(
        '[[model]]\nmatch = "gpt-4.1"\ninput = 1\noutput = 1\n\n'
        '[[model]]\nmatch = "*"\ninput = 0\noutput = 0\n'
    )
    monkeypatch.setenv("HARNESS_PRICES", str(mine))
    table = load_prices()
    assert table.find("gpt-4.1").input == 1
    assert table.find("llama3.2:8b").input == 0
    assert table.find("claude-haiku-4-5").input == 0  # the user's catch-all comes first


def test_invalid_price_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[model]]\nmatch = "x"\ninput = -1\noutput = 1\n')
    with pytest.raises(UsageError) as caught:
        read_price_file(bad)
    message = str(caught.value)
    assert "model.0.input" in message
    assert str(BUILTIN_PRICES) in message
    assert "\n" not in message
    bad.write_text("not = [toml")
    with pytest.raises(UsageError, match="not valid TOML"):
        read_price_file(bad)
