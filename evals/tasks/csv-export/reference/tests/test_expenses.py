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


async def test_export_quotes_and_escapes(client: AsyncClient) -> None:
    await client.post(
        "/expenses",
        json={**LUNCH, "description": 'Lunch, with "Bob"', "amount_cents": 7},
    )
    await client.post(
        "/expenses",
        json={**LUNCH, "description": "=SUM(A1)", "spent_on": "2026-01-01"},
    )
    response = await client.get("/expenses/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == (
        "id,spent_on,category,description,amount\r\n"
        "2,2026-01-01,food,'=SUM(A1),42.50\r\n"
        '1,2026-03-02,food,"Lunch, with ""Bob""",0.07\r\n'
    )


async def test_export_date_range_is_inclusive(client: AsyncClient) -> None:
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        await client.post("/expenses", json={**LUNCH, "spent_on": day})
    response = await client.get(
        "/expenses/export", params={"from": "2026-01-02", "to": "2026-01-03"}
    )
    assert len(response.text.splitlines()) == 3
    reversed_range = await client.get(
        "/expenses/export", params={"from": "2026-01-03", "to": "2026-01-02"}
    )
    assert reversed_range.status_code == 422
