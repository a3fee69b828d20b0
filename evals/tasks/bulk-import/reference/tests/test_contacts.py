import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


def _row(email: str, name: str = "Ann") -> dict[str, str]:
    return {"email": email, "name": name}


async def _count(client: AsyncClient) -> int:
    total: int = (await client.get("/contacts")).json()["total"]
    return total


async def test_create_lowercases_and_rejects_duplicates(client: AsyncClient) -> None:
    response = await client.post("/contacts", json=_row("Ann@Example.com"))
    assert response.status_code == 201
    assert response.json()["email"] == "ann@example.com"
    again = await client.post("/contacts", json=_row("ANN@example.com"))
    assert again.status_code == 409


async def test_import_stores_every_row_in_order(client: AsyncClient) -> None:
    rows = [_row(f"p{n}@example.com") for n in range(3)]
    response = await client.post("/contacts/import", json={"contacts": rows})
    assert response.status_code == 201
    body = response.json()
    assert body["imported"] == 3
    emails = [
        (await client.get(f"/contacts/{contact_id}")).json()["email"]
        for contact_id in body["ids"]
    ]
    assert emails == [row["email"] for row in rows]


async def test_conflicting_import_stores_nothing(client: AsyncClient) -> None:
    await client.post("/contacts", json=_row("taken@example.com"))
    rows = [_row("a@example.com"), _row("TAKEN@example.com"), _row("b@example.com")]
    response = await client.post("/contacts/import", json={"contacts": rows})
    assert response.status_code == 409
    assert response.json()["row"] == 1
    assert await _count(client) == 1


async def test_duplicate_inside_the_batch_is_a_conflict(client: AsyncClient) -> None:
    rows = [_row("x@example.com"), _row("y@example.com"), _row("X@example.com")]
    response = await client.post("/contacts/import", json={"contacts": rows})
    assert response.status_code == 409
    assert response.json() == {
        "detail": response.json()["detail"],
        "row": 2,
        "email": "x@example.com",
    }
    assert await _count(client) == 0


async def test_invalid_row_is_422_with_its_index(client: AsyncClient) -> None:
    rows = [_row("ok@example.com"), _row("not-an-email")]
    response = await client.post("/contacts/import", json={"contacts": rows})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "contacts", 1]
    assert await _count(client) == 0
