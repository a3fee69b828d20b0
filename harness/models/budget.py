"""A per-sample budget of wall time, tokens, turns (model calls) and dollars.

The mode creates one :class:`BudgetTracker` per sample and either calls
:meth:`BudgetTracker.charge` after each reply, or wraps its model in
:class:`BudgetedModel`, which checks before each call, bounds the call by the time
left and charges the reply. Exhaustion raises
:class:`~harness.models.base.BudgetExceededError` with the reason; the sample is
recorded as failed with that reason and the run goes on.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from harness.models.base import BudgetExceededError, ModelReply, Usage

if TYPE_CHECKING:
    from collections.abc import Callable

    from harness.models.base import GenerationParams, Message, Model, ToolSpec


class Budget(BaseModel):
    """Limits of one sample; ``None`` means unlimited."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_wall_s: float | None = Field(default=None, gt=0)
    max_tokens: int | None = Field(default=None, gt=0)
    """All tokens of all calls: input (cached or not) plus output."""
    max_turns: int | None = Field(default=None, gt=0)
    """Model calls."""
    max_cost_usd: float | None = Field(default=None, gt=0)


class BudgetTracker:
    """What one sample has spent against its :class:`Budget`.

    The clock starts when the tracker is built. A call's cost counts only when
    known (a model without a price never exhausts a cost budget).
    """

    def __init__(
        self, budget: Budget, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.budget = budget
        self._clock = clock
        self.started = clock()
        self.turns = 0
        self.usage = Usage()
        self.cost_usd = 0.0
        self.exhausted: BudgetExceededError | None = None

    @property
    def elapsed_s(self) -> float:
        """Seconds since the tracker was built."""
        return self._clock() - self.started

    def remaining_s(self) -> float | None:
        """Seconds left before the time budget runs out, or ``None`` if unlimited."""
        if self.budget.max_wall_s is None:
            return None
        return max(0.0, self.budget.max_wall_s - self.elapsed_s)

    def exhaust(self, error: BudgetExceededError) -> BudgetExceededError:
        """Record ``error`` as the reason the sample stopped and return it."""
        self.exhausted = error
        return error

    def check(self) -> None:
        """Raise if any limit is already reached (call before starting a turn).

        Raises:
            BudgetExceededError: naming the limit that ran out.
        """
        b = self.budget
        if b.max_wall_s is not None and self.elapsed_s >= b.max_wall_s:
            detail = f"{self.elapsed_s:.1f}s of {b.max_wall_s:g}s"
            raise self.exhaust(BudgetExceededError("time", detail))
        if b.max_turns is not None and self.turns >= b.max_turns:
            detail = f"{self.turns} of {b.max_turns} turns"
            raise self.exhaust(BudgetExceededError("turns", detail))
        if b.max_tokens is not None and self.usage.total_tokens >= b.max_tokens:
            detail = f"{self.usage.total_tokens} of {b.max_tokens} tokens"
            raise self.exhaust(BudgetExceededError("tokens", detail))
        if b.max_cost_usd is not None and self.cost_usd >= b.max_cost_usd:
            detail = f"${self.cost_usd:.4f} of ${b.max_cost_usd:g}"
            raise self.exhaust(BudgetExceededError("cost", detail))

    def charge(self, reply: ModelReply) -> None:
        """Add one reply's turn, tokens and cost (it is never thrown away)."""
        self.turns += 1
        self.usage = self.usage + reply.usage
        self.cost_usd += reply.cost_usd or 0.0

    def summary(self) -> dict[str, Any]:
        """Spent and limits, for the sample record."""
        return {
            "turns": self.turns,
            "usage": self.usage.model_dump(),
            "total_tokens": self.usage.total_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "wall_s": round(self.elapsed_s, 3),
            "limits": self.budget.model_dump(),
            "exhausted": None if self.exhausted is None else self.exhausted.reason,
        }


class BudgetedModel:
    """A model that refuses to start a call over budget and cuts a call at the time limit.

    A reply that lands is charged even when it exhausts the budget; the *next*
    call then raises :class:`BudgetExceededError`, so the mode keeps what it got.
    """

    def __init__(self, inner: Model, tracker: BudgetTracker) -> None:
        self.inner = inner
        self.tracker = tracker
        self.name = inner.name

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> ModelReply:
        """Check the budget, call the inner model within the time left, charge it.

        Raises:
            BudgetExceededError: before the call, or when the time runs out during it.
        """
        self.tracker.check()
        left = self.tracker.remaining_s()
        try:
            async with asyncio.timeout(left):
                reply = await self.inner.complete(system, messages, tools, params)
        except TimeoutError as exc:
            detail = f"a model call was cut at {self.tracker.budget.max_wall_s:g}s"
            raise self.tracker.exhaust(BudgetExceededError("time", detail)) from exc
        self.tracker.charge(reply)
        return reply

    @property
    def priced(self) -> bool:
        """Whether the inner model's replies have a price."""
        return self.inner.priced

    async def aclose(self) -> None:
        """Close the inner model."""
        await self.inner.aclose()
