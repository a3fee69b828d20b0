import pytest
from httpx import AsyncClient

from tests.conftest import FakePricing

pytestmark = pytest.mark.anyio


async def test_second_read_is_a_hit(client: AsyncClient, pricing: FakePricing) -> None:
    pricing.prices[("ABC-1", "USD")] = "10.00"
    first = await client.get("/prices/abc-1")
    second = await client.get("/prices/ABC-1", params={"currency": "usd"})
    assert first.json() == {"sku": "ABC-1", "currency": "USD", "amount": "10.00"}
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT")
    assert pricing.calls == 1
