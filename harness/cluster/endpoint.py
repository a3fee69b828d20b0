"""The driver's model endpoint for a cluster: workers' agents reach the model only here.

A coding agent on a worker node talks to its sample's :class:`~harness.gateway.Gateway`
(on that node, over a unix socket bound into its sandbox), which records the calls and
keeps the sample's budget. That gateway's upstream is not the provider but this endpoint,
on the driver, over the cluster network; it authenticates with the **run token**, a random
value made for this driver session that is not the API key. This endpoint

- refuses a request without the token (401) or larger than :data:`MAX_BODY_BYTES` (413),
  then vets it again with the sample gateway's own rules
  (:func:`harness.gateway.policy.vet`: only the API's one endpoint, the run's model,
  allow-listed headers, fields and tools), so a worker that was subverted gets no further
  than an agent in its sandbox;
- forwards the allow-listed headers with the real key added here (the key never leaves
  the driver: not in a task's arguments, a worker's environment or a file);
- holds every call in one adaptive limiter (:class:`~harness.models.retry.ConcurrencyLimiter`:
  at most ``api_concurrency`` calls in flight across the whole cluster, halved for a while
  after a 429), so the provider's rate limit holds cluster-wide, not per node;
- prices each reply and refuses calls once the run's dollar budget is spent (the per-sample
  budget times the samples), so the token is worth at most what the run may spend.

The token dies with the driver: a copy of it reaches nothing once the run ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

import httpx
import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from harness.gateway.http import HttpLimits, HttpRequest
from harness.gateway.policy import Refusal, Vetted, vet
from harness.gateway.wire import read_reply, refusal_body
from harness.models.pricing import load_prices
from harness.models.provider import retry_after_seconds
from harness.models.retry import ConcurrencyLimiter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from types import TracebackType

    from starlette.requests import Request

    from harness.gateway import Upstream
    from harness.models.pricing import PriceTable

#: The largest request body forwarded (the sample gateway's own cap).
MAX_BODY_BYTES = HttpLimits().max_body_bytes
_DROP_RESPONSE = frozenset(
    {"content-length", "content-encoding", "transfer-encoding", "connection"}
)


@dataclass(frozen=True)
class Refused:
    """A request the endpoint refused (kept for the run's log and the tests).

    Attributes:
        status: The HTTP status returned.
        reason: Why.
    """

    status: int
    reason: str


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: Ctrl-C stays the harness's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class ClusterEndpoint:
    """Serve a run's model calls to its workers over TCP; see the module docstring.

    Args:
        upstream: The provider, with the real key and the run's one model.
        host: The address workers reach the driver at (the driver's cluster IP).
        api_concurrency: Calls in flight at once, across the cluster.
        max_cost_usd: The run's dollar budget (None: none).
        prices: Price table (default: the built-in one).
        transport: An httpx transport for the upstream (tests).
    """

    def __init__(
        self,
        upstream: Upstream,
        *,
        host: str,
        api_concurrency: int,
        max_cost_usd: float | None = None,
        prices: PriceTable | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.upstream = upstream
        self.host = host
        self.max_cost_usd = max_cost_usd
        self.limiter = ConcurrencyLimiter(api_concurrency)
        self.prices = prices or load_prices()
        self.token = secrets.token_urlsafe(32)
        self.forwarded = 0
        self.spent_usd = 0.0
        self.refused: list[Refused] = []
        self.port = 0
        self._client = httpx.AsyncClient(
            transport=transport, timeout=httpx.Timeout(600, connect=30)
        )
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    # Serving --------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, as workers reach it."""
        return f"http://{self.host}:{self.port}"

    def route(self) -> Upstream:
        """What a worker's sample gateway forwards to: here, with the token as its key."""
        base = self.url + ("/v1" if self.upstream.api == "responses" else "")
        return self.upstream.model_copy(
            update={"base_url": base, "api_key": SecretStr(self.token)}
        )

    def app(self) -> Starlette:
        """Every path and method reaches :meth:`_handle`, which refuses all but one."""
        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        return Starlette(
            routes=[
                Route("/{path:path}", self._handle, methods=methods),
            ]
        )

    async def __aenter__(self) -> Self:
        """Listen on a free port of ``host``."""
        sock = socket.socket(
            socket.AF_INET6 if ":" in self.host else socket.AF_INET,
            socket.SOCK_STREAM,
        )
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app(),
            log_level="error",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            limit_concurrency=4 * self.limiter.max_concurrency + 64,
            timeout_keep_alive=30,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()
                msg = "the cluster's model endpoint stopped while starting"
                raise RuntimeError(msg)
            await asyncio.sleep(0.005)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop listening; the token is worthless from now on."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        await self._client.aclose()

    # Handling -------------------------------------------------------------------------------

    def _refuse(self, status: int, reason: str) -> Response:
        self.refused.append(Refused(status, reason))
        body = refusal_body(self.upstream.api, f"harness cluster endpoint: {reason}")
        return JSONResponse(body, status_code=status)

    def _authorised(self, request: Request) -> bool:
        if self.upstream.api == "anthropic":
            given = request.headers.get("x-api-key", "")
        else:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer":
                return False
        return hmac.compare_digest(given.encode(), self.token.encode())

    async def _body(self, request: Request) -> bytes | None:
        """The body, or None when it passes :data:`MAX_BODY_BYTES`."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def _handle(self, request: Request) -> Response:
        if not self._authorised(request):
            return self._refuse(401, "a request without the run token")
        if self.max_cost_usd is not None and self.spent_usd >= self.max_cost_usd:
            return self._refuse(
                400, f"the run's budget of ${self.max_cost_usd:g} is spent"
            )
        raw = await self._body(request)
        if raw is None:
            return self._refuse(413, f"a body over {MAX_BODY_BYTES} bytes")
        query = request.url.query
        seen = HttpRequest(
            method=request.method,
            target=request.url.path + (f"?{query}" if query else ""),
            headers=[
                (name.decode("latin-1").lower(), value.decode("latin-1"))
                for name, value in request.headers.raw
            ],
            body=raw,
        )
        try:
            vetted = vet(self.upstream.api, seen, self.upstream.model)
        except Refusal as refusal:
            return self._refuse(refusal.status, refusal.reason)
        return await self._forward(raw, vetted)

    async def _forward(self, raw: bytes, vetted: Vetted) -> Response:
        headers = {
            **vetted.headers,
            "content-type": "application/json",
            **self.upstream.auth(),
        }
        upstream_request = self._client.build_request(
            "POST", self.upstream.url(vetted.query), content=raw, headers=headers
        )
        body = vetted.body
        slot = self.limiter.slot()
        await slot.__aenter__()
        try:
            response = await self._client.send(upstream_request, stream=True)
        except httpx.HTTPError as error:
            await slot.__aexit__(None, None, None)
            detail = f"the model API could not be reached: {type(error).__name__}"
            return self._refuse(502, detail)
        self.forwarded += 1
        if response.status_code == 429:
            self.limiter.on_rate_limited(retry_after_seconds(response.headers) or 1.0)
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
                await slot.__aexit__(None, None, None)
                if response.status_code < 400:
                    self.limiter.on_success()
                    self._charge(b"".join(chunks), body, streamed=streamed)

        return StreamingResponse(
            relay(), status_code=response.status_code, headers=out_headers
        )

    def _charge(self, data: bytes, body: dict[str, Any], *, streamed: bool) -> None:
        reply, _ = read_reply(self.upstream.api, data, streamed=streamed)
        asked = str(body.get("model", ""))
        cost = self.prices.cost(reply.usage, reply.raw_model or asked, asked)
        self.spent_usd += cost or 0.0

    def in_flight(self) -> int:
        """Calls being forwarded now."""
        return self.limiter.in_flight


__all__ = [
    "MAX_BODY_BYTES",
    "ClusterEndpoint",
    "Refused",
]
