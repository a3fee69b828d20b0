import anyio
import pytest

from app.prices.cache import TTLCache

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(5, clock)
    cache.set("a", 1)
    clock.now = 4.9
    assert cache.get("a") == 1
    clock.now = 5.0
    assert cache.get("a") is None


async def test_concurrent_misses_load_once() -> None:
    cache: TTLCache[str, int] = TTLCache(5)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        await anyio.sleep(0.01)
        return 7

    results: list[tuple[int, bool]] = []

    async def read() -> None:
        results.append(await cache.get_or_load("k", load))

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(read)
    assert loads == 1
    assert sorted(results) == [(7, False)] + [(7, True)] * 4


async def test_failed_load_is_not_cached() -> None:
    cache: TTLCache[str, int] = TTLCache(5)

    async def fail() -> int:
        raise RuntimeError

    with pytest.raises(RuntimeError):
        await cache.get_or_load("k", fail)
    assert cache.get("k") is None
