"""An in-memory cache whose entries expire."""

import time
from collections.abc import Callable


class TTLCache[K, V]:
    """Values kept for ``ttl_seconds`` after they were stored."""

    def __init__(
        self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_ms = ttl_seconds * 1000
        self._clock = clock
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        """The value stored for ``key`` if it has not expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, value = entry
        if self._clock() - stored_at > self.ttl_ms:
            del self._entries[key]
            return None
        return value

    def set(self, key: K, value: V) -> None:
        """Store ``value`` from now on."""
        self._entries[key] = (self._clock(), value)

    def delete_where(self, matches: Callable[[K], bool]) -> None:
        """Forget every entry whose key matches."""
        for key in [key for key in self._entries if matches(key)]:
            del self._entries[key]
