"""The request id: taken from ``X-Request-ID`` when well-formed, else generated.

The middleware binds it in a context variable for the whole request (so services and
outgoing calls read it without passing it around), echoes it in the response header, and
resets it afterwards.
"""

import re
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from fastapi import Request, Response

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current() -> str | None:
    """The id of the request being served, if any."""
    return _current.get()


def accept_or_generate(incoming: str | None) -> str:
    """The client's id when well-formed, else a new UUID4."""
    if incoming is not None and _VALID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


async def middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Bind the request id for this request and echo it on the response."""
    request_id = accept_or_generate(request.headers.get(HEADER))
    request.state.request_id = request_id
    token = _current.set(request_id)
    try:
        response = await call_next(request)
    finally:
        _current.reset(token)
    response.headers[HEADER] = request_id
    return response
