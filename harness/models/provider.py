"""What the two API providers share: options, retries, cost, wall time, error mapping."""

from __future__ import annotations

import random
import time
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from harness.models.base import (
    ErrorReason,
    GenerationParams,
    Message,
    ModelError,
    ModelReply,
    ToolSpec,
)
from harness.models.pricing import PriceTable, load_prices
from harness.models.retry import ConcurrencyLimiter, RetryPolicy, call_with_retries

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

DEFAULT_TIMEOUT_S = 600.0
DEFAULT_SDK_RETRIES = 0


def reason_for_status(status: int, body_text: str = "") -> ErrorReason:
    """The error reason of an HTTP status (and an ``overloaded`` hint in the body)."""
    if status == 429:
        return "rate_limited"
    if status == 529 or "overloaded" in body_text.lower():
        return "overloaded"
    if status in {401, 403}:
        return "auth"
    if status == 404:
        return "not_found"
    if status == 408:
        return "timeout"
    if status >= 500:
        return "server_error"
    return "bad_request"


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds a server asked us to wait (``retry-after-ms`` or ``retry-after``)."""
    if not headers:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / scale)
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None


class ApiProvider(ABC):
    """A remote model: retries, the concurrency limiter, cost and wall time around one call.

    Args:
        model: the model id sent to the API (``claude-sonnet-4-5``, ``gpt-4.1``...).
        api_key: the key (default: the provider's environment variable).
        base_url: the API's base URL (default: the provider's environment variable,
            else the vendor's).
        timeout_s: one HTTP attempt's timeout.
        sdk_max_retries: retries inside the SDK before ours.
        retry: the harness's retry policy on top.
        stream: stream replies (needed for long outputs; avoids idle cut-offs).
        prices: a price table, a user price file, or ``None`` for the default.
        limiter: a shared concurrency limiter (default: one per provider object).
        max_concurrency: the limit of the default limiter.
    """

    provider: ClassVar[str]

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        sdk_max_retries: int = DEFAULT_SDK_RETRIES,
        retry: RetryPolicy | None = None,
        stream: bool = True,
        prices: PriceTable | Path | str | None = None,
        limiter: ConcurrencyLimiter | None = None,
        max_concurrency: int = 8,
        rng: random.Random | None = None,
    ) -> None:
        self.model = model
        self.name = f"{self.provider}:{model}"
        self.api_key = api_key
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.sdk_max_retries = sdk_max_retries
        self.retry = retry or RetryPolicy()
        self.stream = stream
        self.prices = prices if isinstance(prices, PriceTable) else load_prices(prices)
        self.limiter = limiter or ConcurrencyLimiter(max_concurrency)
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security

    @abstractmethod
    def build_request(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> dict[str, Any]:
        """The SDK call's keyword arguments (also what the reply records)."""

    @abstractmethod
    async def send(self, request: dict[str, Any]) -> ModelReply:
        """One attempt; raise ModelError (with a transient reason when retrying helps)."""

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> ModelReply:
        """Send one request with retries; cost it, time it, record what was sent.

        Raises:
            ModelError: the call failed for good (one line, with the reason).
        """
        request = self.build_request(system, messages, tools, params)
        started = time.monotonic()
        reply, attempts = await call_with_retries(
            lambda: self.send(request),
            policy=self.retry,
            limiter=self.limiter,
            model=self.name,
            rng=self._rng,
        )
        cost = self.prices.cost(reply.usage, reply.raw_model, self.model)
        recorded = {
            "model": self.model,
            "temperature": params.temperature,
            "max_tokens": params.max_tokens,
            "seed": params.seed,
            "extra": params.extra,
            "stream": self.stream,
            **self.recorded_options(),
        }
        return reply.model_copy(
            update={
                "cost_usd": cost,
                "wall_s": time.monotonic() - started,
                "attempts": attempts,
                "request": recorded,
            }
        )

    @property
    def priced(self) -> bool:
        """Whether the price table knows this model."""
        return self.prices.find(self.model) is not None

    def recorded_options(self) -> dict[str, Any]:
        """Provider-specific settings worth keeping in the transcript."""
        return {"base_url": self.base_url}

    def error(
        self,
        reason: ErrorReason,
        detail: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> ModelError:
        """A ModelError naming this model."""
        return ModelError(
            reason, detail, model=self.name, status=status, retry_after_s=retry_after_s
        )
