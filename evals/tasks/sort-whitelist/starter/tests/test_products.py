import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio

WIDGET = {"name": "widget", "category": "tools", "price": 250, "stock": 3, "cost": 90}


async def test_create_hides_the_cost(client: AsyncClient) -> None:
    response = await client.post("/products", json=WIDGET)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "widget"
    assert "cost" not in body


async def test_get_and_404(client: AsyncClient) -> None:
    created = (await client.post("/products", json=WIDGET)).json()
    assert (await client.get(f"/products/{created['id']}")).status_code == 200
    assert (await client.get("/products/999")).status_code == 404


async def test_list_filters_by_category(client: AsyncClient) -> None:
    await client.post("/products", json=WIDGET)
    await client.post("/products", json={**WIDGET, "category": "toys"})
    page = (await client.get("/products", params={"category": "toys"})).json()
    assert page["total"] == 1
    assert page["items"][0]["category"] == "toys"


async def test_negative_price_is_422(client: AsyncClient) -> None:
    response = await client.post("/products", json={**WIDGET, "price": -1})
    assert response.status_code == 422
