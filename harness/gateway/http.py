"""The gateway's HTTP/1.1 server: a unix socket, h11 for parsing, hard limits for hostile clients.

Whatever runs in the sandbox can connect to the gateway's socket, so the server assumes every
client is hostile and bounds what one can take from the harness process:

- **connections**: at most :attr:`HttpLimits.max_connections` at once. The server does not
  even ``accept`` beyond that (the kernel's backlog holds the rest), so a flood of idle
  connections costs the harness no descriptor past the cap and no CPU;
- **time**: a request's head must arrive within ``header_timeout_s`` of the connection being
  ready for it (an idle keep-alive connection is closed then too), its body within
  ``body_timeout_s``, and each write to the client must drain within ``write_timeout_s``;
- **bytes**: a head over ``max_header_bytes`` or a body over ``max_body_bytes`` is refused
  (413) without reading the rest; bodies over ``large_body_bytes`` are read one at a time;
- **framing**: ``Transfer-Encoding`` beside ``Content-Length`` and any ``Content-Encoding``
  are refused, malformed input is a 400 from h11, never a traceback.

Every refusal goes through the ``reject`` callback, which answers in the API's own error shape
and records it. uvicorn was not used because it has neither a header nor a body timeout, nor
a body cap, and accepts every connection (its ``limit_concurrency`` answers 503 only once a
request arrives, after the descriptor is taken).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import h11
from pydantic import BaseModel, ConfigDict, Field

from harness.sandbox.sockets import listen_unix

if TYPE_CHECKING:
    from pathlib import Path

logger = logging.getLogger(__name__)
_READ = 65_536


class HttpLimits(BaseModel):
    """What one client may take from the gateway (all per gateway, that is per sample)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_connections: int = Field(default=16, gt=0)
    header_timeout_s: float = Field(default=15.0, gt=0)
    body_timeout_s: float = Field(default=60.0, gt=0)
    write_timeout_s: float = Field(default=60.0, gt=0)
    max_header_bytes: int = Field(default=32_768, gt=0)
    max_body_bytes: int = Field(default=16 << 20, gt=0)
    """Claude Code's requests stay near 1 MB; the Messages API itself takes 32 MB."""
    large_body_bytes: int = Field(default=1 << 20, gt=0)
    """Bodies larger than this are read and handled one at a time."""


@dataclass(frozen=True)
class HttpRequest:
    """One request as read from the socket (header names lower-cased, values latin-1)."""

    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (lower-case), if present."""
        return next((v for k, v in self.headers if k == name), None)


@dataclass
class HttpResponse:
    """A response: a fixed body, or chunks streamed as they come."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | AsyncGenerator[bytes, None] = b""


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]
#: Builds (and records) the answer to a refused request: status, reason, what was read.
Reject = Callable[[int, str, HttpRequest | None], HttpResponse]


class _Refused(Exception):  # noqa: N818 - internal control flow, never escapes
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class UnixHttpServer:
    """Serve ``handler`` on a unix socket under :class:`HttpLimits` (see the module docstring)."""

    def __init__(
        self, path: Path, handler: Handler, reject: Reject, limits: HttpLimits
    ) -> None:
        """Prepare the server (nothing listens until :meth:`start`)."""
        self.path = path
        self.limits = limits
        self._handler = handler
        self._reject = reject
        self._slots = asyncio.Semaphore(limits.max_connections)
        self._large = asyncio.Lock()
        self._sock: socket.socket | None = None
        self._accepting: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.open_connections = 0
        self.peak_connections = 0

    async def start(self) -> None:
        """Bind and listen (the socket file is mode 0666: its folder limits who reaches it)."""
        # Bound through a descriptor of its folder: /proc/net/unix in the sandbox names no
        # host path (harness.sandbox.sockets).
        sock = listen_unix(self.path, backlog=self.limits.max_connections)
        sock.setblocking(False)
        self._sock = sock
        self._accepting = asyncio.create_task(self._accept_loop(sock))

    async def stop(self) -> None:
        """Stop accepting, drop every open connection, remove the socket."""
        if self._accepting is not None:
            self._accepting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._accepting
        if self._sock is not None:
            self._sock.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.path.unlink(missing_ok=True)

    async def _accept_loop(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._slots.acquire()
            try:
                conn, _ = await loop.sock_accept(sock)
            except OSError as error:  # out of descriptors, say: wait, never crash
                self._slots.release()
                logger.warning("model gateway: accept failed: %s", error)
                await asyncio.sleep(0.1)
                continue
            except BaseException:
                self._slots.release()
                raise
            task = asyncio.create_task(self._connection(conn))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _connection(self, conn: socket.socket) -> None:
        self.open_connections += 1
        self.peak_connections = max(self.peak_connections, self.open_connections)
        writer: asyncio.StreamWriter | None = None
        try:
            reader, writer = await asyncio.open_unix_connection(sock=conn)
            http = h11.Connection(
                h11.SERVER, max_incomplete_event_size=self.limits.max_header_bytes
            )
            while await self._exchange(http, reader, writer):
                http.start_next_cycle()
        except (OSError, TimeoutError, h11.ProtocolError):
            pass  # the client went away or stopped reading: nothing left to answer
        except Exception as error:  # noqa: BLE001 - a stream cut upstream: close, never crash
            logger.info(
                "model gateway: connection closed: %s: %s", type(error).__name__, error
            )
        finally:
            if writer is not None:
                writer.close()
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1):
                        await writer.wait_closed()
            else:
                conn.close()
            self.open_connections -= 1
            self._slots.release()

    async def _exchange(
        self,
        http: h11.Connection,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        """Serve one request; whether the connection may carry another."""
        got = [0]
        try:
            async with asyncio.timeout(self.limits.header_timeout_s):
                event = await _next_event(http, reader, got)
        except TimeoutError:
            if got[0] == 0:
                return False  # an idle connection: close it quietly
            reason = (
                f"the request head took longer than {self.limits.header_timeout_s:g} s"
            )
            await self._send(http, writer, self._reject(408, reason, None))
            return False
        except h11.RemoteProtocolError as error:
            reason = f"malformed HTTP request: {error}"
            status = error.error_status_hint
            await self._send(http, writer, self._reject(status, reason, None))
            return False
        if not isinstance(event, h11.Request):
            return False  # ConnectionClosed
        head = HttpRequest(
            method=event.method.decode("ascii", "replace"),
            target=event.target.decode("latin-1"),
            headers=[
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in event.headers
            ],
        )
        large: asyncio.Lock | None = None
        try:
            try:
                _check_framing(head, self.limits)
                if http.they_are_waiting_for_100_continue:
                    continue_ = h11.InformationalResponse(status_code=100, headers=[])
                    await self._write(writer, http.send(continue_) or b"")
                body, large = await self._read_body(http, reader, head)
            except _Refused as refused:
                await self._send(
                    http, writer, self._reject(refused.status, refused.reason, head)
                )
                return False
            if body is None:
                return False  # the client closed mid-body
            request = HttpRequest(head.method, head.target, head.headers, body)
            del body
            response = await self._handle(request)
            del request
        finally:
            if large is not None:
                large.release()
        await self._send(http, writer, response)
        return http.our_state is h11.DONE and http.their_state is h11.DONE

    async def _read_body(
        self, http: h11.Connection, reader: asyncio.StreamReader, head: HttpRequest
    ) -> tuple[bytes | None, asyncio.Lock | None]:
        """The whole body (None if the client closed first) and the large-body lock if held."""
        limits = self.limits
        declared = head.header("content-length")
        held: list[asyncio.Lock] = []

        async def hold_large() -> None:
            if not held:
                await self._large.acquire()
                held.append(self._large)

        chunks = bytearray()
        try:
            async with asyncio.timeout(limits.body_timeout_s):
                if declared is not None and int(declared) > limits.large_body_bytes:
                    await hold_large()
                while True:
                    event = await _next_event(http, reader, [0])
                    if isinstance(event, h11.Data):
                        if len(chunks) + len(event.data) > limits.max_body_bytes:
                            raise _Refused(413, _too_large(limits))
                        chunks += event.data
                        if len(chunks) > limits.large_body_bytes:
                            await hold_large()
                    elif isinstance(event, h11.EndOfMessage):
                        return bytes(chunks), (held[0] if held else None)
                    else:
                        for lock in held:
                            lock.release()
                        return None, None
        except BaseException as error:
            for lock in held:
                lock.release()
            if isinstance(error, TimeoutError):
                reason = (
                    f"the request body took longer than {limits.body_timeout_s:g} s"
                )
                raise _Refused(408, reason) from None
            if isinstance(error, h11.RemoteProtocolError):
                raise _Refused(400, f"malformed request body: {error}") from None
            raise

    async def _handle(self, request: HttpRequest) -> HttpResponse:
        try:
            return await self._handler(request)
        except Exception as error:  # noqa: BLE001 - a bug answers 500 with its name, never a traceback
            logger.warning(
                "model gateway: internal error: %s: %s", type(error).__name__, error
            )
            reason = f"internal error in the harness gateway: {type(error).__name__}"
            return self._reject(500, reason, request)

    async def _send(
        self, http: h11.Connection, writer: asyncio.StreamWriter, response: HttpResponse
    ) -> None:
        headers = [
            (k.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
            for k, v in response.headers
        ]
        body = response.body
        if isinstance(body, bytes):
            headers.append((b"content-length", str(len(body)).encode()))
        if http.their_state is not h11.DONE:
            headers.append((b"connection", b"close"))
        await self._write(
            writer,
            http.send(h11.Response(status_code=response.status, headers=headers))
            or b"",
        )
        if isinstance(body, bytes):
            if body:
                await self._write(writer, http.send(h11.Data(data=body)) or b"")
        else:
            async with contextlib.aclosing(body) as chunks:
                async for chunk in chunks:
                    if chunk:
                        await self._write(
                            writer, http.send(h11.Data(data=chunk)) or b""
                        )
        await self._write(writer, http.send(h11.EndOfMessage()) or b"")

    async def _write(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        async with asyncio.timeout(self.limits.write_timeout_s):
            await writer.drain()


def _too_large(limits: HttpLimits) -> str:
    return f"the request body is larger than the gateway's cap of {limits.max_body_bytes} bytes"


def _check_framing(head: HttpRequest, limits: HttpLimits) -> None:
    """Refuse ambiguous framing and bodies that are too large by their own declaration."""
    size = len(head.target) + sum(len(k) + len(v) + 4 for k, v in head.headers)
    if size > limits.max_header_bytes:
        cap = limits.max_header_bytes
        raise _Refused(
            431, f"the request head is larger than the gateway's cap of {cap} bytes"
        )
    names = [k for k, _ in head.headers]
    if "transfer-encoding" in names and "content-length" in names:
        reason = "Transfer-Encoding and Content-Length are both set: refused (request smuggling)"
        raise _Refused(400, reason)
    encoding = (head.header("content-encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise _Refused(
            415, f"Content-Encoding {encoding!r} is not accepted: send plain JSON"
        )
    declared = head.header("content-length")
    if declared is not None and int(declared) > limits.max_body_bytes:
        raise _Refused(413, _too_large(limits) + f" (it declares {int(declared)})")


async def _next_event(
    http: h11.Connection, reader: asyncio.StreamReader, got: list[int]
) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
    while True:
        event = http.next_event()
        if event is not h11.NEED_DATA:
            return event
        data = await reader.read(_READ)
        got[0] += len(data)
        http.receive_data(data)


__all__ = ["HttpLimits", "HttpRequest", "HttpResponse", "Reject", "UnixHttpServer"]
