import uuid

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_a_well_formed_id_is_kept(client: AsyncClient) -> None:
    response = await client.post(
        "/orders", json={"sku": "A-1", "quantity": 2}, headers={"X-Request-ID": "abc-1"}
    )
    assert response.headers["x-request-id"] == "abc-1"
    assert response.json()["request_id"] == "abc-1"


async def test_a_missing_or_bad_id_is_replaced(client: AsyncClient) -> None:
    response = await client.get("/orders/999", headers={"X-Request-ID": "no spaces"})
    generated = response.headers["x-request-id"]
    assert str(uuid.UUID(generated)) == generated
    assert response.json() == {"detail": "order 999 not found", "request_id": generated}


async def test_errors_carry_the_id(client: AsyncClient) -> None:
    invalid = await client.post(
        "/orders", json={"sku": ""}, headers={"X-Request-ID": "v"}
    )
    assert invalid.status_code == 422
    assert invalid.json()["request_id"] == "v"
    crashed = await client.get("/debug/crash", headers={"X-Request-ID": "c"})
    assert crashed.status_code == 500
    assert crashed.json() == {"detail": "Internal Server Error", "request_id": "c"}
    assert crashed.headers["x-request-id"] == "c"


async def test_an_unreachable_inventory_is_502(client: AsyncClient) -> None:
    response = await client.get("/items/A-1/stock", headers={"X-Request-ID": "i"})
    assert response.status_code == 502
    assert response.json()["request_id"] == "i"
