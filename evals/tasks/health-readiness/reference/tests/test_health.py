import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_live_touches_nothing(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response.headers["cache-control"] == "no-store"


async def test_ready_is_503_when_the_carrier_is_unreachable(
    client: AsyncClient,
) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "checks": {"database": "ok", "carrier": "fail"},
    }


async def test_shipments(client: AsyncClient) -> None:
    created = await client.post("/shipments", json={"reference": "PX-1"})
    assert created.status_code == 201
    fetched = await client.get(f"/shipments/{created.json()['id']}")
    assert fetched.json() == created.json()
    assert (await client.get("/shipments/999")).status_code == 404
