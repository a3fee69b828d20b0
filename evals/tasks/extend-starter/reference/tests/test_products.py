import pytest
from httpx import AsyncClient


async def _create(client: AsyncClient, sku: str, price_cents: int = 500) -> int:
    response = await client.post(
        "/products",
        json={"name": f"Item {sku}", "sku": sku, "price_cents": price_cents},
    )
    assert response.status_code == 201
    product_id: int = response.json()["id"]
    return product_id


async def test_create_then_get(client: AsyncClient) -> None:
    product_id = await _create(client, "MUG-1", 1250)
    response = await client.get(f"/products/{product_id}")
    assert response.status_code == 200
    assert response.json()["price_cents"] == 1250
    assert response.json()["created_at"].endswith("Z")


async def test_duplicate_sku_is_409(client: AsyncClient) -> None:
    await _create(client, "MUG-1")
    response = await client.post(
        "/products", json={"name": "Other", "sku": "MUG-1", "price_cents": 1}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "sku_taken"


async def test_invalid_product_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/products", json={"name": "x", "sku": "lower", "price_cents": 0}
    )
    assert response.status_code == 422


async def test_pagination(client: AsyncClient) -> None:
    for number in range(3):
        await _create(client, f"SKU-{number}")
    page = (await client.get("/products", params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 3
    assert [item["sku"] for item in page["items"]] == ["SKU-1", "SKU-2"]


async def test_patch_changes_only_sent_fields(client: AsyncClient) -> None:
    product_id = await _create(client, "MUG-2", 900)
    response = await client.patch(f"/products/{product_id}", json={"price_cents": 990})
    assert response.status_code == 200
    assert response.json()["name"] == "Item MUG-2"
    assert response.json()["price_cents"] == 990


async def test_delete_then_missing(client: AsyncClient) -> None:
    product_id = await _create(client, "MUG-3")
    assert (await client.delete(f"/products/{product_id}")).status_code == 204
    missing = await client.get(f"/products/{product_id}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "product_not_found"


@pytest.mark.parametrize("field", ["name", "price_cents", "stock"])
async def test_patch_with_null_is_422(client: AsyncClient, field: str) -> None:
    product_id = await _create(client, "NULL-1")

    response = await client.patch(f"/products/{product_id}", json={field: None})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
