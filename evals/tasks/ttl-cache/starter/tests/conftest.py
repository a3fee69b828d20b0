from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.config import Settings
from app.main import create_app


class FakePricing:
    """Answers from a table of prices; counts the requests it receives."""

    def __init__(self) -> None:
        self.prices: dict[tuple[str, str], str] = {}
        self.status = 200
        self.calls = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        sku = request.url.path.rsplit("/", 1)[-1]
        currency = request.url.params["currency"]
        if self.status != 200:
            return httpx.Response(self.status)
        amount = self.prices.get((sku, currency))
        if amount is None:
            return httpx.Response(404, json={"error": "unknown sku"})
        return httpx.Response(
            200, json={"sku": sku, "currency": currency, "amount": amount}
        )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def pricing() -> FakePricing:
    return FakePricing()


@pytest.fixture
async def client(pricing: FakePricing) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(pricing_api_url="http://pricing.test", price_cache_seconds=60)
    app = create_app(settings, pricing_transport=httpx.MockTransport(pricing.handler))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test"
        ) as http:
            yield http
