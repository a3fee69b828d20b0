"""A sliding-window rate limiter, in memory (the service runs as one process)."""

import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The verdict on one request.

    Attributes:
        allowed: Whether the request may proceed (and was counted).
        remaining: Requests left in the window after this one.
        retry_after: Whole seconds until a request will be allowed (0 when allowed).
    """

    allowed: bool
    remaining: int
    retry_after: int


class SlidingWindowLimiter:
    """At most ``limit`` accepted requests per key in any ``window`` seconds.

    ``hit`` never awaits, so concurrent requests on one event loop cannot both take
    the last slot. Refused requests are not counted.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str) -> Decision:
        """Count a request for ``key`` if the window has room for it."""
        now = self._clock()
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            wait = max(1, math.ceil(hits[0] + self.window - now))
            return Decision(allowed=False, remaining=0, retry_after=wait)
        hits.append(now)
        return Decision(allowed=True, remaining=self.limit - len(hits), retry_after=0)
