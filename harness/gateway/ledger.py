"""The gateway's budget: reserved when a call arrives, settled when its reply ends.

Checking a budget when a call arrives and charging it when the reply ends lets N calls sent
at once all pass the check. The :class:`Ledger` instead counts every call in flight at an
upper estimate of what it can spend, and admits a call only while what is spent *plus what is
reserved* is under each limit:

- **turns**: a call in flight is a turn, so the turn budget is exact (40 of 40, whatever the
  concurrency);
- **tokens** and **dollars** (where a budget is set): a call reserves its body's size (bytes,
  a bound on its input tokens) plus its output cap (``max_tokens`` /
  ``max_output_tokens``), priced at the sample's model; a call that sets no output cap
  reserves all that is left, so it runs alone.

A call that does not fit only because of calls in flight waits for one of them to settle
(at most until the time budget ends), then is checked again. With nothing in flight the
check is the plain one, so a sequential agent sees exactly the old behaviour: the reply that
lands is charged even if it crosses a limit, and the next call is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harness.models.base import Usage
from harness.models.budget import BudgetTracker

if TYPE_CHECKING:
    from harness.models.base import ModelReply
    from harness.models.budget import Budget
    from harness.models.pricing import ModelPrice


@dataclass(frozen=True)
class Reservation:
    """What one call in flight holds of the budget."""

    tokens: int
    cost_usd: float


class Ledger:
    """Spent and reserved against one sample's :class:`~harness.models.budget.Budget`."""

    def __init__(self, budget: Budget, price: ModelPrice | None) -> None:
        """Start the clock.

        Args:
            budget: The sample's limits.
            price: The sample's model's price (None: unpriced; a cost budget then cannot
                be held, which the gateway refuses before reserving).
        """
        self.tracker = BudgetTracker(budget)
        self.price = price
        self.in_flight = 0
        self.peak_in_flight = 0
        self.reserved_tokens = 0
        self.reserved_cost = 0.0
        self._settled = asyncio.Event()

    @property
    def budget(self) -> Budget:
        """The limits."""
        return self.tracker.budget

    def restart(self) -> None:
        """Restart the clock (when the gateway starts serving)."""
        self.tracker = BudgetTracker(self.tracker.budget)

    def _fits(self) -> bool:
        budget, spent = self.tracker.budget, self.tracker
        if (
            budget.max_turns is not None
            and spent.turns + self.in_flight >= budget.max_turns
        ):
            return False
        if (
            budget.max_tokens is not None
            and spent.usage.total_tokens + self.reserved_tokens >= budget.max_tokens
        ):
            return False
        return not (
            budget.max_cost_usd is not None
            and spent.cost_usd + self.reserved_cost >= budget.max_cost_usd
        )

    def _estimate(self, input_bytes: int, output_cap: int | None) -> Reservation:
        budget, spent = self.tracker.budget, self.tracker
        tokens = 0
        if budget.max_tokens is not None:
            rest = budget.max_tokens - spent.usage.total_tokens - self.reserved_tokens
            tokens = input_bytes + output_cap if output_cap is not None else rest
        cost = 0.0
        if budget.max_cost_usd is not None:
            rest_usd = budget.max_cost_usd - spent.cost_usd - self.reserved_cost
            if output_cap is None or self.price is None:
                cost = rest_usd
            else:
                usage = Usage(input_tokens=input_bytes, output_tokens=output_cap)
                cost = self.price.cost(usage)
        return Reservation(tokens=max(0, tokens), cost_usd=max(0.0, cost))

    async def reserve(self, input_bytes: int, output_cap: int | None) -> Reservation:
        """Hold the budget for one call, waiting while calls in flight might exhaust it.

        Args:
            input_bytes: The request body's size (a bound on its input tokens).
            output_cap: Its cap on output tokens, if it sets one.

        Returns:
            The reservation, to :meth:`settle` when the call ends.

        Raises:
            BudgetExceededError: When what is already spent reaches a limit.
        """
        while True:
            self.tracker.check()
            if self._fits():
                held = self._estimate(input_bytes, output_cap)
                self.in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
                self.reserved_tokens += held.tokens
                self.reserved_cost += held.cost_usd
                return held
            settled = self._settled
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.tracker.remaining_s()):
                    await settled.wait()

    def settle(self, held: Reservation, reply: ModelReply | None) -> None:
        """Release a call's reservation and charge its reply (None: it produced none)."""
        self.in_flight -= 1
        self.reserved_tokens -= held.tokens
        self.reserved_cost -= held.cost_usd
        if self.in_flight == 0:  # no float residue may keep a lone call waiting
            self.reserved_tokens, self.reserved_cost = 0, 0.0
        if reply is not None:
            self.tracker.charge(reply)
        self._settled.set()
        self._settled = asyncio.Event()


__all__ = ["Ledger", "Reservation"]
