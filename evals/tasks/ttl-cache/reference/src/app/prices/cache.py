"""An in-memory cache whose entries expire, with one load per key at a time."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class _Entry[V]:
    value: V
    expires_at: float


class TTLCache[K, V]:
    """Values kept for ``ttl_seconds`` after they were stored (monotonic clock)."""

    def __init__(
        self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._entries: dict[K, _Entry[V]] = {}
        self._locks: dict[K, asyncio.Lock] = {}

    def get(self, key: K) -> V | None:
        """The value stored for ``key`` if it has not expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._clock() >= entry.expires_at:
            del self._entries[key]
            return None
        return entry.value

    def set(self, key: K, value: V) -> None:
        """Store ``value`` for ``ttl_seconds``."""
        self._entries[key] = _Entry(value, self._clock() + self.ttl_seconds)

    def delete_where(self, matches: Callable[[K], bool]) -> None:
        """Forget every entry whose key matches."""
        for key in [key for key in self._entries if matches(key)]:
            del self._entries[key]

    async def get_or_load(
        self, key: K, load: Callable[[], Awaitable[V]]
    ) -> tuple[V, bool]:
        """The cached value and ``True``, or a freshly loaded one and ``False``.

        Concurrent misses on one key wait for a single ``load``; a load that raises
        stores nothing, so failures are never cached.
        """
        cached = self.get(key)
        if cached is not None:
            return cached, True
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self.get(key)
            if cached is not None:
                return cached, True
            value = await load()
            self.set(key, value)
            return value, False
