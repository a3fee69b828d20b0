"""Count the SQL statements each request sends, and report them in ``X-Query-Count``.

A listener on the engine counts every statement the driver executes; the count lives in a
context variable that the middleware resets per request, so concurrent requests never mix
their counts.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Query-Count"


@dataclass
class _Counter:
    statements: int = 0


_current: ContextVar[_Counter | None] = ContextVar("query_counter", default=None)


def _count_statement(*_: object) -> None:
    """``before_cursor_execute`` listener: one more statement for this request."""
    counter = _current.get()
    if counter is not None:
        counter.statements += 1


def count_queries(engine: Engine) -> None:
    """Count every statement ``engine`` executes toward the current request."""
    event.listen(engine, "before_cursor_execute", _count_statement)


class QueryCountMiddleware:
    """Add ``X-Query-Count: <statements>`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with a fresh counter and report it in the headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        counter = _Counter()
        token = _current.set(counter)

        async def send_with_count(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[HEADER] = str(counter.statements)
            await send(message)

        try:
            await self.app(scope, receive, send_with_count)
        finally:
            _current.reset(token)
