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


async def test_unknown_sku_is_404(client: AsyncClient) -> None:
    response = await client.get("/prices/NOPE")
    assert response.status_code == 404
    assert response.json() == {"detail": "no price for SKU NOPE"}


async def test_forget_drops_every_currency(
    client: AsyncClient, pricing: FakePricing
) -> None:
    pricing.prices[("X-1", "USD")] = "1.00"
    pricing.prices[("X-1", "EUR")] = "0.90"
    await client.get("/prices/X-1")
    await client.get("/prices/X-1", params={"currency": "EUR"})
    assert (await client.delete("/prices/x-1")).status_code == 204
    await client.get("/prices/X-1")
    await client.get("/prices/X-1", params={"currency": "EUR"})
    assert pricing.calls == 4


async def test_currencies_are_cached_apart(
    client: AsyncClient, pricing: FakePricing
) -> None:
    pricing.prices[("C-1", "USD")] = "1.00"
    pricing.prices[("C-1", "EUR")] = "0.90"
    await client.get("/prices/C-1")
    euro = await client.get("/prices/C-1", params={"currency": "EUR"})
    assert euro.json() == {"sku": "C-1", "currency": "EUR", "amount": "0.90"}


async def test_failure_is_not_cached(client: AsyncClient, pricing: FakePricing) -> None:
    pricing.prices[("F-1", "USD")] = "5.00"
    pricing.status = 503
    assert (await client.get("/prices/F-1")).status_code == 502
    pricing.status = 200
    assert (await client.get("/prices/F-1")).status_code == 200
