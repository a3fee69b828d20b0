import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _add(client: AsyncClient, name: str, price: int) -> int:
    body = {"name": name, "category": "tea", "price_cents": price}
    response = await client.post("/products", json=body)
    assert response.status_code == 201, response.text
    product_id: int = response.json()["id"]
    return product_id


async def test_offset_listing_in_id_order(client: AsyncClient) -> None:
    first = await _add(client, "a", 5)
    await _add(client, "b", 1)
    page = (await client.get("/products", params={"limit": 1})).json()
    assert page["total"] == 2
    assert [item["id"] for item in page["items"]] == [first]


async def test_delete_then_missing(client: AsyncClient) -> None:
    product = await _add(client, "gone", 1)
    assert (await client.delete(f"/products/{product}")).status_code == 204
    assert (await client.get(f"/products/{product}")).status_code == 404
