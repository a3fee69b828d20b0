import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio

WIDGET = {"sku": "WID-1", "name": "Widget", "price_cents": 250, "stock": 3}


async def test_create_then_get(client: AsyncClient) -> None:
    created = await client.post("/products", json=WIDGET)
    assert created.status_code == 201
    fetched = await client.get(f"/products/{created.json()['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["sku"] == "WID-1"


async def test_pagination(client: AsyncClient) -> None:
    for number in range(3):
        await client.post(
            "/products", json={**WIDGET, "sku": f"SKU-{number}", "name": f"n{number}"}
        )
    page = (await client.get("/products", params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 3
    assert [item["name"] for item in page["items"]] == ["n1", "n2"]


async def test_reserve_decrements_stock(client: AsyncClient) -> None:
    product = (await client.post("/products", json=WIDGET)).json()
    reserved = await client.post(
        f"/products/{product['id']}/reserve", json={"quantity": 2}
    )
    assert reserved.status_code == 200
    assert reserved.json()["stock"] == 1
    again = await client.get(f"/products/{product['id']}")
    assert again.json()["stock"] == 1


async def test_delete_then_missing(client: AsyncClient) -> None:
    product = (await client.post("/products", json=WIDGET)).json()
    assert (await client.delete(f"/products/{product['id']}")).status_code == 204
    missing = await client.get(f"/products/{product['id']}")
    assert missing.status_code == 404
