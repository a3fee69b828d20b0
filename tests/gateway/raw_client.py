"""What a hostile process in the sandbox does to the gateway's socket: raw bytes and plain httpx.

``raw`` writes exact bytes (malformed heads, smuggling headers, slow trickles) and reads the
whole answer; ``post`` is an ordinary httpx call over the unix socket; ``gateway`` runs a
gateway in its own event loop thread, so blocking attack code can run against it from the
test's thread, as a sandboxed process would from outside the harness's loop.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from harness.gateway import Gateway, Upstream

MODEL = "claude-sonnet-4-5"


def anthropic_upstream(url: str) -> Upstream:
    """The fake at ``url`` as a Messages upstream pinned to :data:`MODEL`."""
    return Upstream(api="anthropic", base_url=url, model=MODEL)


def anthropic_body(**extra: Any) -> dict[str, Any]:
    """A minimal valid Messages request for :data:`MODEL`."""
    return {
        "model": MODEL,
        "max_tokens": 64,
        "stream": True,
        "messages": [{"role": "user", "content": "hi"}],
        **extra,
    }


def post(
    sock: Path,
    body: Any,
    *,
    path: str = "/v1/messages?beta=true",
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> httpx.Response:
    """POST ``body`` (JSON, or raw bytes) over the unix socket."""
    sent = {"content-type": "application/json", **(headers or {})}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    transport = httpx.HTTPTransport(uds=str(sock))
    with httpx.Client(
        transport=transport, base_url="http://localhost", timeout=timeout
    ) as client:
        return client.post(path, content=content, headers=sent)


def raw(sock: Path, data: bytes, *, timeout: float = 10) -> tuple[int, dict[str, Any]]:
    """Send exact bytes, read until the server closes; the status and the JSON body."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        client.connect(str(sock))
        client.sendall(data)
        return read_answer(client)


def read_answer(client: socket.socket) -> tuple[int, dict[str, Any]]:
    """Read one answer into its status and JSON body (``{}`` for a stream or no body)."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = client.recv(65536)
        if not chunk:
            break
        buffer += chunk
    head, _, body = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0] else 0
    fields = {k.lower(): v for k, _, v in (x.partition(": ") for x in lines[1:])}
    length = int(fields.get("content-length", -1))
    chunked = fields.get("transfer-encoding") == "chunked"
    while len(body) < length or (chunked and not body.endswith(b"0\r\n\r\n")):
        try:
            chunk = client.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        body += chunk
    return status, json.loads(body) if body and not chunked else {}


def open_fds() -> int:
    """Descriptors open in this process."""
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@contextmanager
def gateway(*args: Any, **kwargs: Any) -> Iterator[Gateway]:
    """A started :class:`Gateway` served by an event loop in a thread of its own."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    served = Gateway(*args, **kwargs)
    asyncio.run_coroutine_threadsafe(served.__aenter__(), loop).result(10)
    try:
        yield served
    finally:
        stop = served.__aexit__(None, None, None)
        asyncio.run_coroutine_threadsafe(stop, loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def wait_for(check: Any, timeout: float = 10) -> bool:
    """Poll ``check()`` until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return bool(check())
