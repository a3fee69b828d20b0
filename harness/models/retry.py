"""One retry budget with backoff and jitter, and a limiter that backs off when rate-limited.

A failed call is retried by one layer only: the SDKs' own retries are off by default
(``sdk_max_retries=0``), so ``RetryPolicy.max_attempts`` is the whole budget of HTTP
attempts per call (not the SDK's times ours). The provider turns each failure into a
:class:`~harness.models.base.ModelError`; :func:`call_with_retries` (tenacity) tries
again if the reason is transient (rate-limited, overloaded, 5xx, timeout, connection),
sleeping ``retry-after`` when the server sent one, else exponential backoff with full
jitter. Every attempt holds a slot of a shared :class:`ConcurrencyLimiter`, which halves
its limit and pauses every caller when a rate limit is hit, then creeps back up after
successes (AIMD).
"""

from __future__ import annotations

import asyncio
import random
import time
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from harness.models.base import ModelError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable


class RetryPolicy(BaseModel):
    """How often and how long to retry transient failures (the harness's layer)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_attempts: int = Field(default=5, ge=1)
    """Attempts in all, the first included."""
    base_s: float = Field(default=2.0, ge=0)
    """Backoff before retry n is uniform in [0, min(max_s, base_s * 2**(n-1))]."""
    max_s: float = Field(default=60.0, ge=0)
    max_retry_after_s: float = Field(default=300.0, ge=0)
    """A server's retry-after longer than this is cut to it."""

    def delay(self, attempt: int, error: ModelError, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if error.retry_after_s is not None:
            return min(max(error.retry_after_s, 0.0), self.max_retry_after_s)
        cap = min(self.max_s, self.base_s * 2 ** (attempt - 1))
        return rng.uniform(0, cap)


class ConcurrencyLimiter:
    """A shared cap on calls in flight that shrinks when rate-limited.

    Args:
        max_concurrency: the most calls in flight (``--max-concurrency``).
        recover_after: successes needed to raise the limit by one after a cut.
    """

    def __init__(self, max_concurrency: int = 8, *, recover_after: int = 5) -> None:
        if max_concurrency < 1:
            msg = "max_concurrency must be at least 1"
            raise ValueError(msg)
        self.max_concurrency = max_concurrency
        self.limit = max_concurrency
        self.recover_after = recover_after
        self.in_flight = 0
        self.peak_in_flight = 0
        self.rate_limited = 0
        self._successes = 0
        self._paused_until = 0.0
        self._cond: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _condition(self) -> asyncio.Condition:
        loop = asyncio.get_running_loop()
        if self._cond is None or self._loop is not loop:
            self._cond, self._loop = asyncio.Condition(), loop
        return self._cond

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the duration of a call; waits out a rate-limit pause."""
        cond = self._condition()
        async with cond:
            while True:
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)  # lock is held: everyone waits the pause
                    continue
                if self.in_flight < self.limit:
                    break
                await cond.wait()
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            yield
        finally:
            async with cond:
                self.in_flight -= 1
                cond.notify_all()

    def on_success(self) -> None:
        """Count a success; after ``recover_after`` of them raise the limit by one."""
        if self.limit >= self.max_concurrency:
            return
        self._successes += 1
        if self._successes >= self.recover_after:
            self._successes = 0
            self.limit += 1

    def on_rate_limited(self, pause_s: float) -> None:
        """Halve the limit and hold new calls back for ``pause_s`` seconds."""
        self.rate_limited += 1
        self._successes = 0
        self.limit = max(1, self.limit // 2)
        self._paused_until = max(self._paused_until, time.monotonic() + pause_s)


async def call_with_retries[T](
    attempt_call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    limiter: ConcurrencyLimiter | None = None,
    model: str = "",
    rng: random.Random | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> tuple[T, int]:
    """Run ``attempt_call`` until it succeeds or fails for good.

    Returns:
        The result and the number of attempts it took.

    Raises:
        ModelError: a non-transient failure, or the last transient one once
            ``policy.max_attempts`` are spent (naming the model and the attempts).
    """
    chooser = rng or random.Random()  # noqa: S311 - jitter, not security

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if not isinstance(error, ModelError):  # pragma: no cover - retry_if says so
            return 0.0
        pause = policy.delay(state.attempt_number, error, chooser)
        if limiter is not None and error.reason in {"rate_limited", "overloaded"}:
            limiter.on_rate_limited(pause)
        return pause

    async def guarded() -> T:
        if limiter is None:
            return await attempt_call()
        async with limiter.slot():
            return await attempt_call()

    retrying = AsyncRetrying(
        retry=retry_if_exception(lambda e: isinstance(e, ModelError) and e.retryable),
        stop=stop_after_attempt(policy.max_attempts),
        wait=wait,
        sleep=sleep,
        reraise=True,
    )
    attempts = 0
    try:
        async for attempt in retrying:
            with attempt:
                attempts = attempt.retry_state.attempt_number
                result = await guarded()
    except ModelError as exc:
        raise exc.with_context(model=model or exc.model, attempts=attempts) from exc
    if limiter is not None:
        limiter.on_success()
    return result, attempts
