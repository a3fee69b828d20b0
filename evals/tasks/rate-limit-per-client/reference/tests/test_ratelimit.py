import pytest
from httpx import AsyncClient

from app.ratelimit import SlidingWindowLimiter

pytestmark = pytest.mark.anyio


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_limiter_slides_and_ignores_refused_requests() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, 10, clock)
    assert limiter.hit("a").remaining == 1
    clock.now += 4
    assert limiter.hit("a").remaining == 0
    refused = limiter.hit("a")
    assert (refused.allowed, refused.retry_after) == (False, 6)
    assert limiter.hit("b").allowed
    clock.now += 6
    assert limiter.hit("a").allowed
    assert not limiter.hit("a").allowed


async def test_quotes_answer_429_after_the_budget(client: AsyncClient) -> None:
    key = (await client.post("/clients", json={"name": "p"})).json()["api_key"]
    headers = {"X-API-Key": key}
    for remaining in range(59, -1, -1):
        response = await client.get("/quotes", headers=headers)
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
    refused = await client.get("/quotes", headers=headers)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
