"""The model gateway: the only way a sandboxed coding agent reaches a model.

A :class:`Gateway` is an HTTP server on a unix socket, run by the harness outside the sandbox
(in the harness's event loop) and bound read-only into it. It

- holds the real API key: the agent sends a placeholder, the gateway replaces it (the key never
  enters the sandbox, its environment or any stored file);
- forwards each call to the upstream (the vendor's API, any compatible base URL, or the tests'
  scripted fake), streaming the response back byte for byte (Anthropic Messages, including
  ``?beta=true``; OpenAI Responses);
- records every request and response (``gateway.jsonl``), reads the reply back into a
  :class:`~harness.models.base.ModelReply`, counts its tokens and prices it
  (:mod:`harness.models.pricing`);
- enforces the sample's budget (turns, tokens, cost, wall clock) before each call: an
  exhausted budget is refused with a 400 error whose message the agent shows and stops on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import TYPE_CHECKING, Any, Self

import httpx
import uvicorn
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from harness.gateway.wire import Api, read_reply, refusal_body
from harness.models.base import BudgetExceededError, ModelReply, Usage
from harness.models.budget import Budget, BudgetTracker
from harness.models.pricing import load_prices
from harness.sandbox.models import PLACEHOLDER_KEY

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path
    from types import TracebackType

    from starlette.requests import Request

    from harness.models.pricing import PriceTable

#: Request headers never forwarded (the gateway sets its own auth, length and encoding).
_DROP_REQUEST = frozenset(
    {
        "host",
        "content-length",
        "authorization",
        "x-api-key",
        "accept-encoding",
        "connection",
    }
)
#: Connection failures in a row answered with a retryable 502 before the gateway says stop.
UNREACHABLE_RETRIES = 2
_DROP_RESPONSE = frozenset(
    {"content-length", "content-encoding", "transfer-encoding", "connection"}
)


class Upstream(BaseModel):
    """Where the gateway sends calls, and with which key.

    Attributes:
        api: ``anthropic`` (Messages) or ``responses`` (OpenAI Responses).
        base_url: The API's base URL (Anthropic: without ``/v1``; OpenAI: with it).
        api_key: The real key (never logged, never in the sandbox); None sends none.
        model: When set, replaces the ``model`` of every request.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    api: Api
    base_url: str
    api_key: SecretStr | None = None
    model: str | None = None

    def url(self, path: str, query: str) -> str:
        """The upstream URL of a call the agent made to ``path``."""
        base = self.base_url.rstrip("/")
        if self.api == "responses" and path.startswith("/v1/"):
            path = path[3:]
        return f"{base}{path}" + (f"?{query}" if query else "")

    def auth(self) -> dict[str, str]:
        """The auth header the upstream expects."""
        if self.api_key is None:
            return {}
        key = self.api_key.get_secret_value()
        return (
            {"x-api-key": key}
            if self.api == "anthropic"
            else {"authorization": f"Bearer {key}"}
        )


class GatewayCall(BaseModel):
    """One call through the gateway (one line of ``gateway.jsonl``).

    Attributes:
        index: 1-based call number.
        t: Seconds since the gateway started, when the call arrived.
        wall_s: Seconds until the response ended.
        path: The path the agent called (with its query).
        status: The HTTP status returned to the agent.
        model: The model that answered (or was asked for).
        refused: Why the gateway refused the call, if it did.
        error: Why the upstream could not be reached, if so.
        usage: Tokens of the reply.
        cost_usd: Its price (None when the model has none).
        reply: The reply as read back (text, tool calls, stop reason).
        request: The request body as the agent sent it.
        response: The response's SSE events, or its JSON body.
    """

    model_config = ConfigDict(extra="forbid")

    index: int
    t: float
    wall_s: float = 0.0
    path: str
    status: int
    model: str = ""
    refused: str | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    reply: ModelReply | None = None
    request: dict[str, Any] = Field(default_factory=dict)
    response: list[dict[str, Any]] = Field(default_factory=list)


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: Ctrl-C stays the harness's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


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
    ) -> None:
        """Prepare the gateway (nothing listens until it is entered).

        Args:
            upstream: Where calls go.
            socket_path: The unix socket to listen on.
            budget: The sample's limits (default: none).
            log_path: Where each call is appended as JSON (None: kept in memory only).
            prices: Price table (default: the built-in one, with ``$HARNESS_PRICES``).
            transport: An httpx transport for the upstream (tests).
        """
        self.upstream = upstream
        self.socket_path = socket_path
        self.tracker = BudgetTracker(budget or Budget())
        self.log_path = log_path
        self.prices = prices or load_prices()
        self.calls: list[GatewayCall] = []
        self.refused: BudgetExceededError | None = None
        self.started = time.monotonic()
        self.first_call_s: float | None = None
        self._priced = True
        self._unreachable = 0
        self._client = httpx.AsyncClient(
            transport=transport, timeout=httpx.Timeout(600, connect=30)
        )
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    # Serving --------------------------------------------------------------------------------

    def app(self) -> Starlette:
        """The HTTP app: the two APIs' endpoints."""
        return Starlette(
            routes=[
                Route("/v1/messages", self._anthropic, methods=["POST"]),
                Route("/v1/responses", self._responses, methods=["POST"]),
            ]
        )

    async def __aenter__(self) -> Self:
        """Start listening on the socket."""
        self.socket_path.unlink(missing_ok=True)
        config = uvicorn.Config(
            self.app(),
            uds=str(self.socket_path),
            log_level="error",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
                msg = "the model gateway stopped while starting"
                raise RuntimeError(msg)
            await asyncio.sleep(0.005)
        self.socket_path.chmod(0o666)
        self.started = time.monotonic()
        self.tracker = BudgetTracker(self.tracker.budget)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop listening and close the upstream client."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        await self._client.aclose()
        self.socket_path.unlink(missing_ok=True)

    # Accounting -----------------------------------------------------------------------------

    @property
    def usage(self) -> Usage:
        """Tokens of every call so far."""
        return self.tracker.usage

    @property
    def cost_usd(self) -> float | None:
        """Dollars so far; None when some reply had no price."""
        return round(self.tracker.cost_usd, 6) if self._priced else None

    def _log(self, call: GatewayCall) -> None:
        self.calls.append(call)
        if self.log_path is not None:
            with self.log_path.open("a", encoding="utf-8") as stream:
                stream.write(call.model_dump_json() + "\n")

    # Handlers -------------------------------------------------------------------------------

    async def _anthropic(self, request: Request) -> Response:
        return await self._forward(request, "anthropic")

    async def _responses(self, request: Request) -> Response:
        return await self._forward(request, "responses")

    async def _forward(self, request: Request, api: Api) -> Response:
        arrived = time.monotonic()
        t = round(arrived - self.started, 3)
        if self.first_call_s is None:
            self.first_call_s = t
        index = len(self.calls) + 1
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raw = await request.body()
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_unparsed": raw.decode("utf-8", "replace")[:10_000]}
        try:
            self.tracker.check()
        except BudgetExceededError as error:
            self.refused = self.refused or error
            message = f"harness gateway: {error}; no further model calls are allowed in this sample"
            self._log(
                GatewayCall(
                    index=index,
                    t=t,
                    path=path,
                    status=400,
                    refused=str(error),
                    request=body,
                )
            )
            return JSONResponse(refusal_body(api, message), status_code=400)
        if self.upstream.model and isinstance(body, dict) and "model" in body:
            body["model"] = self.upstream.model
            raw = json.dumps(body).encode()
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in _DROP_REQUEST
        }
        headers.update(self.upstream.auth())
        upstream_request = self._client.build_request(
            "POST",
            self.upstream.url(request.url.path, request.url.query),
            content=raw,
            headers=headers,
        )
        try:
            response = await self._client.send(upstream_request, stream=True)
        except httpx.HTTPError as error:
            self._unreachable += 1
            detail = f"the gateway could not reach the model API: {type(error).__name__}: {error}"
            if self._unreachable > UNREACHABLE_RETRIES:
                # Agents retry a 502 for minutes; a 400 stops them: the sample is lost anyway.
                detail += f" ({self._unreachable} times in a row: giving up)"
                self._log(
                    GatewayCall(
                        index=index,
                        t=t,
                        path=path,
                        status=400,
                        error=detail,
                        request=body,
                    )
                )
                return JSONResponse(refusal_body(api, detail), status_code=400)
            self._log(
                GatewayCall(
                    index=index, t=t, path=path, status=502, error=detail, request=body
                )
            )
            return JSONResponse(refusal_body(api, detail), status_code=502)
        self._unreachable = 0
        streamed = "text/event-stream" in response.headers.get("content-type", "")
        out_headers = {
            k: v for k, v in response.headers.items() if k.lower() not in _DROP_RESPONSE
        }

        async def relay() -> AsyncIterator[bytes]:
            chunks: list[bytes] = []
            try:
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    yield chunk
            finally:
                await response.aclose()
                self._account(
                    api,
                    index,
                    t,
                    arrived,
                    path,
                    response.status_code,
                    body,
                    b"".join(chunks),
                    streamed=streamed,
                )

        return StreamingResponse(
            relay(), status_code=response.status_code, headers=out_headers
        )

    def _account(
        self,
        api: Api,
        index: int,
        t: float,
        arrived: float,
        path: str,
        status: int,
        body: dict[str, Any],
        data: bytes,
        *,
        streamed: bool,
    ) -> None:
        wall = round(time.monotonic() - arrived, 3)
        call = GatewayCall(
            index=index, t=t, wall_s=wall, path=path, status=status, request=body
        )
        if status >= 400:
            call.error = data.decode("utf-8", "replace")[:2000]
            self._log(call)
            return
        reply, events = read_reply(api, data, streamed=streamed)
        model = reply.raw_model or str(body.get("model", ""))
        cost = self.prices.cost(reply.usage, model, str(body.get("model", "")))
        self._priced = self._priced and cost is not None
        reply = reply.model_copy(
            update={"cost_usd": cost, "wall_s": wall, "raw_model": model}
        )
        self.tracker.charge(reply)
        call.model, call.usage, call.cost_usd, call.reply, call.response = (
            model,
            reply.usage,
            cost,
            reply,
            events,
        )
        self._log(call)


__all__ = ["PLACEHOLDER_KEY", "Gateway", "GatewayCall", "Upstream"]
