import pytest
from httpx import AsyncClient, Response

pytestmark = pytest.mark.anyio

WIDGET = {"sku": "WID-1", "name": "Widget", "price_cents": 250, "stock": 3}


def error_of(response: Response) -> dict[str, object]:
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, object] = body["error"]
    assert set(error) == {"code", "message", "details"}
    return error


async def test_validation_error_lists_fields(client: AsyncClient) -> None:
    response = await client.post("/products", json={**WIDGET, "price_cents": -1})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert isinstance(error["details"], list)
    assert [item["field"] for item in error["details"]] == ["body.price_cents"]


async def test_unknown_route(client: AsyncClient) -> None:
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


async def test_wrong_method(client: AsyncClient) -> None:
    response = await client.put("/products")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


async def test_missing_product(client: AsyncClient) -> None:
    response = await client.get("/products/12345")
    assert response.status_code == 404
    assert error_of(response)["code"] == "product_not_found"


async def test_duplicate_sku(client: AsyncClient) -> None:
    assert (await client.post("/products", json=WIDGET)).status_code == 201
    response = await client.post("/products", json=WIDGET)
    assert response.status_code == 409
    assert error_of(response)["code"] == "sku_taken"


async def test_insufficient_stock(client: AsyncClient) -> None:
    product = (await client.post("/products", json=WIDGET)).json()
    response = await client.post(
        f"/products/{product['id']}/reserve", json={"quantity": 4}
    )
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "insufficient_stock"
    assert error["details"] == {"requested": 4, "available": 3}


async def test_crash_hides_internals(client: AsyncClient) -> None:
    response = await client.get("/diagnostics/error")
    assert response.status_code == 500
    assert error_of(response)["code"] == "internal_error"
    assert "hunter2" not in response.text
