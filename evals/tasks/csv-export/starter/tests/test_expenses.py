import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio

LUNCH = {
    "description": "Team lunch",
    "category": "food",
    "amount_cents": 4250,
    "spent_on": "2026-03-02",
}


async def test_create_and_get(client: AsyncClient) -> None:
    created = await client.post("/expenses", json=LUNCH)
    assert created.status_code == 201
    fetched = await client.get(f"/expenses/{created.json()['id']}")
    assert fetched.json()["spent_on"] == "2026-03-02"
    assert (await client.get("/expenses/999")).status_code == 404


async def test_list_is_by_date(client: AsyncClient) -> None:
    await client.post("/expenses", json=LUNCH)
    await client.post("/expenses", json={**LUNCH, "spent_on": "2026-01-05"})
    page = (await client.get("/expenses")).json()
    assert [item["spent_on"] for item in page["items"]] == ["2026-01-05", "2026-03-02"]


async def test_zero_amount_is_422(client: AsyncClient) -> None:
    response = await client.post("/expenses", json={**LUNCH, "amount_cents": 0})
    assert response.status_code == 422
