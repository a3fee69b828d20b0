"""The model gateway: the only way a sandboxed coding agent reaches a model.

A :class:`Gateway` serves one sample on a unix socket, run by the harness outside the sandbox
(in the harness's event loop) and bound read-only into it. Whatever reaches the socket is
treated as hostile (``docs/threat-model.md``). The gateway

- holds the real API key: the agent sends a placeholder, the gateway adds the key upstream
  (the key never enters the sandbox, its environment or any stored file);
- serves under hard limits (:mod:`harness.gateway.http`): connections, header and body
  time, body size;
- forwards only the sample's API endpoint, model, allow-listed headers and bodies without
  server-side tools (:mod:`harness.gateway.policy`), to a URL built from the upstream's
  base and that endpoint, never from the request; everything else is refused with a 4xx in
  the API's own error shape and the reason;
- reserves the sample's budget (turns, tokens, dollars, time) when a call arrives and settles
  it when the reply ends (:mod:`harness.gateway.ledger`), so concurrent calls cannot overrun
  it; a cost budget with an unpriced model refuses every call;
- streams the response back byte for byte, reads it into a
  :class:`~harness.models.base.ModelReply`, prices it, and records every call
  (``gateway.jsonl``, bytes capped: :mod:`harness.gateway.calls`).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING, Any, Self

import httpx

from harness.gateway.calls import (
    LOG_REQUEST_BYTES,
    MAX_LOGGED_REFUSALS,
    GatewayCall,
    ResponseBuffer,
    Upstream,
    loggable,
)
from harness.gateway.http import HttpLimits, HttpRequest, HttpResponse, UnixHttpServer
from harness.gateway.ledger import Ledger
from harness.gateway.policy import Refusal, vet
from harness.gateway.wire import read_reply, refusal_body
from harness.models.base import BudgetExceededError, ModelReply, Usage
from harness.models.pricing import load_prices
from harness.sandbox.models import PLACEHOLDER_KEY

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, AsyncIterator
    from pathlib import Path
    from types import TracebackType

    from harness.models.budget import Budget, BudgetTracker
    from harness.models.pricing import PriceTable

#: Connection failures in a row answered with a retryable 502 before the gateway says stop.
UNREACHABLE_RETRIES = 2
_DROP_RESPONSE = frozenset(
    {
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "connection",
        "keep-alive",
    }
)


def unpriced_reason(model: str, budget: Budget) -> str:
    """Why a cost budget cannot be held for an unpriced model, with the fix."""
    return (
        f"the model {model} has no price, so the cost budget (${budget.max_cost_usd:g}) "
        "cannot be enforced: add a [[model]] entry for it to a price file and set "
        "HARNESS_PRICES=FILE (see harness/models/prices.toml), or drop --max-cost"
    )


async def _once(holder: list[bytes]) -> AsyncIterator[bytes]:
    """Yield the one body in ``holder`` and keep no reference to it once it is sent."""
    data = holder.pop()
    yield data


class Gateway:
    """Serve one sample's model calls on a unix socket; see the module docstring."""

    def __init__(
        self,
        upstream: Upstream,
        socket_path: Path,
        *,
        budget: Budget | None = None,
        log_path: Path | None = None,
        prices: PriceTable | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        limits: HttpLimits | None = None,
    ) -> None:
        """Prepare the gateway (nothing listens until it is entered).

        Args:
            upstream: Where calls go, and the one model they may name.
            socket_path: The unix socket to listen on.
            budget: The sample's limits (default: none).
            log_path: Where each call is appended as JSON (None: kept in memory only).
            prices: Price table (default: the built-in one, with ``$HARNESS_PRICES``).
            transport: An httpx transport for the upstream (tests).
            limits: What one client may take (default: :class:`HttpLimits`).
        """
        from harness.models.budget import Budget

        self.upstream = upstream
        self.socket_path = socket_path
        self.log_path = log_path
        self.prices = prices or load_prices()
        budget = budget or Budget()
        price = self.prices.find(upstream.model)
        self.ledger = Ledger(budget, price)
        self.unpriced = (
            unpriced_reason(upstream.model, budget)
            if budget.max_cost_usd is not None and price is None
            else None
        )
        self.calls: list[GatewayCall] = []
        self.refusals_unlogged = 0
        self.refused: BudgetExceededError | None = None
        self.started = time.monotonic()
        self.first_call_s: float | None = None
        self._arrivals = 0
        self._refusals = 0
        self._priced = True
        self._unreachable = 0
        self._client = httpx.AsyncClient(
            transport=transport, timeout=httpx.Timeout(600, connect=30)
        )
        self.server = UnixHttpServer(
            socket_path, self._handle, self._reject, limits or HttpLimits()
        )

    async def __aenter__(self) -> Self:
        """Start listening on the socket."""
        await self.server.start()
        self.started = time.monotonic()
        self.ledger.restart()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop listening, close the upstream client, count unlogged refusals."""
        await self.server.stop()
        await self._client.aclose()
        if self.refusals_unlogged:
            note = (
                f"{self.refusals_unlogged} more refused calls were not logged (the gateway "
                f"logs the first {MAX_LOGGED_REFUSALS})"
            )
            self._write(
                GatewayCall(
                    index=self._arrivals, t=self._t(), path="", status=429, refused=note
                )
            )

    # Accounting -----------------------------------------------------------------------------

    @property
    def tracker(self) -> BudgetTracker:
        """What the sample has spent (turns, tokens, dollars, time)."""
        return self.ledger.tracker

    @property
    def usage(self) -> Usage:
        """Tokens of every call so far."""
        return self.ledger.tracker.usage

    @property
    def cost_usd(self) -> float | None:
        """Dollars so far; None when some reply had no price."""
        return round(self.ledger.tracker.cost_usd, 6) if self._priced else None

    def _t(self) -> float:
        return round(time.monotonic() - self.started, 3)

    def _write(self, call: GatewayCall) -> None:
        self.calls.append(call)
        if self.log_path is not None:
            with self.log_path.open("a", encoding="utf-8") as stream:
                stream.write(call.model_dump_json() + "\n")

    def _arrive(self) -> tuple[int, float]:
        self._arrivals += 1
        t = self._t()
        if self.first_call_s is None:
            self.first_call_s = t
        return self._arrivals, t

    # Refusals -------------------------------------------------------------------------------

    def _reject(
        self,
        status: int,
        reason: str,
        request: HttpRequest | None,
        *,
        at: tuple[int, float] | None = None,
        message: str | None = None,
        vetted: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Answer a refused request in the API's error shape, and record it.

        Only the body's size and digest are recorded, unless it passed every check
        (``vetted``: a call refused for the budget), which is logged like a forwarded one.
        """
        index, t = at or self._arrive()
        body = request.body if request is not None else b""
        logged, trimmed = (
            loggable(vetted, len(body))
            if vetted is not None
            else ({}, "refused: only the size and digest are logged" if body else None)
        )
        self._refusals += 1
        if self._refusals > MAX_LOGGED_REFUSALS:
            self.refusals_unlogged += 1
        else:
            self._write(
                GatewayCall(
                    index=index,
                    t=t,
                    path=request.target[:300] if request is not None else "",
                    status=status,
                    refused=reason,
                    request=logged,
                    request_bytes=len(body),
                    request_sha256=hashlib.sha256(body).hexdigest() if body else None,
                    request_trimmed=trimmed,
                )
            )
        text = message or f"harness gateway: {reason}"
        payload = refusal_body(self.upstream.api, text, status=status)
        return HttpResponse(
            status, [("content-type", "application/json")], json.dumps(payload).encode()
        )

    # Forwarding -----------------------------------------------------------------------------

    async def _handle(self, request: HttpRequest) -> HttpResponse:
        api, model = self.upstream.api, self.upstream.model
        arrived = time.monotonic()
        index, t = at = self._arrive()
        if self.unpriced is not None:
            return self._reject(400, self.unpriced, request, at=at)
        try:
            vetted = vet(api, request, model)
        except Refusal as refusal:
            return self._reject(refusal.status, refusal.reason, request, at=at)
        size = len(request.body)
        try:
            held = await self.ledger.reserve(size, vetted.output_cap)
        except BudgetExceededError as error:
            self.refused = self.refused or error
            message = f"harness gateway: {error}; no further model calls are allowed in this sample"
            return self._reject(
                400, str(error), request, at=at, message=message, vetted=vetted.body
            )
        logged, trimmed = loggable(vetted.body, size)
        cap = vetted.output_cap
        call = GatewayCall(
            index=index,
            t=t,
            path=request.target[:300],
            status=0,
            model=model,
            request=logged,
            request_bytes=size,
            request_sha256=hashlib.sha256(request.body).hexdigest(),
            request_trimmed=trimmed,
            dropped_headers=vetted.dropped,
        )
        headers = {
            **vetted.headers,
            **self.upstream.auth(),
            "content-type": "application/json",
        }
        headers["content-length"] = str(size)
        upstream_request = self._client.build_request(
            "POST",
            self.upstream.url(vetted.query),
            content=_once([request.body]),
            headers=headers,
        )
        del vetted, logged, request  # the body is freed once sent (see _once)
        try:
            response = await self._client.send(upstream_request, stream=True)
        except httpx.HTTPError as error:
            self.ledger.settle(held, None)
            return self._unreachable_answer(call, error)
        del upstream_request
        self._unreachable = 0
        streamed = "text/event-stream" in response.headers.get("content-type", "")
        out_headers = [
            (k, v)
            for k, v in response.headers.items()
            if k.lower() not in _DROP_RESPONSE
        ]

        async def relay() -> AsyncGenerator[bytes, None]:
            kept = ResponseBuffer()
            reply: ModelReply | None = None
            ended = False
            try:
                async for chunk in response.aiter_bytes():
                    kept.add(chunk)
                    yield chunk
                ended = True
            finally:
                await response.aclose()
                try:
                    call.status = response.status_code
                    cut = None if ended else (cap or 0)
                    reply = self._account(
                        call, kept, arrived, streamed=streamed, cut=cut
                    )
                finally:
                    self.ledger.settle(held, reply)

        return HttpResponse(response.status_code, out_headers, relay())

    def _unreachable_answer(
        self, call: GatewayCall, error: httpx.HTTPError
    ) -> HttpResponse:
        self._unreachable += 1
        detail = f"the gateway could not reach the model API: {type(error).__name__}: {error}"
        status = 502
        if self._unreachable > UNREACHABLE_RETRIES:
            # Agents retry a 502 for minutes; a 400 stops them: the sample is lost anyway.
            detail += f" ({self._unreachable} times in a row: giving up)"
            status = 400
        call.status, call.error = status, detail
        self._write(call)
        payload = refusal_body(self.upstream.api, detail, status=status)
        return HttpResponse(
            status, [("content-type", "application/json")], json.dumps(payload).encode()
        )

    def _account(
        self,
        call: GatewayCall,
        kept: ResponseBuffer,
        arrived: float,
        *,
        streamed: bool,
        cut: int | None = None,
    ) -> ModelReply | None:
        """Read the reply, price it and log the call; the reply to charge (None: none).

        ``cut`` is set when the stream ended before its last event (the agent closed it, or
        the upstream broke): the final usage never came, so the output is charged at the
        request's cap (``cut``) if that is more than what was read.
        """
        call.wall_s = round(time.monotonic() - arrived, 3)
        data = kept.data()
        if call.status >= 400:
            call.error = data.decode("utf-8", "replace")[:2000]
            self._write(call)
            return None
        reply, events = read_reply(self.upstream.api, data, streamed=streamed)
        if cut is not None:
            output = max(reply.usage.output_tokens, cut)
            usage = reply.usage.model_copy(update={"output_tokens": output})
            reply = reply.model_copy(update={"usage": usage})
            call.response_trimmed = (
                "the stream ended before its last event: output charged at the "
                f"request's cap ({output} tokens)"
            )
        model = reply.raw_model or self.upstream.model
        cost = self.prices.cost(reply.usage, model, self.upstream.model)
        self._priced = self._priced and cost is not None
        reply = reply.model_copy(
            update={"cost_usd": cost, "wall_s": call.wall_s, "raw_model": model}
        )
        call.model, call.usage, call.cost_usd, call.reply = (
            model,
            reply.usage,
            cost,
            reply,
        )
        if kept.size <= 4 * LOG_REQUEST_BYTES:
            call.response = events
        else:
            call.response_trimmed = (
                kept.trimmed
                or f"the response is {kept.size} bytes: its events are not logged"
            )
        self._write(call)
        return reply


__all__ = ["PLACEHOLDER_KEY", "Gateway", "GatewayCall", "Upstream", "unpriced_reason"]
