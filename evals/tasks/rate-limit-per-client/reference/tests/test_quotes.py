import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _key(client: AsyncClient) -> str:
    response = await client.post("/clients", json={"name": "partner"})
    assert response.status_code == 201, response.text
    key: str = response.json()["api_key"]
    return key


async def test_quotes_need_a_key(client: AsyncClient) -> None:
    response = await client.get("/quotes")
    assert response.status_code == 401
    assert response.json() == {"detail": "missing or unknown API key"}
    wrong = await client.get("/quotes", headers={"X-API-Key": "nope"})
    assert wrong.status_code == 401


async def test_create_and_read_a_quote(client: AsyncClient) -> None:
    headers = {"X-API-Key": await _key(client)}
    created = await client.post(
        "/quotes", json={"text": "Be brief.", "author": "Anon"}, headers=headers
    )
    assert created.status_code == 201
    fetched = await client.get(f"/quotes/{created.json()['id']}", headers=headers)
    assert fetched.json() == created.json()
    missing = await client.get("/quotes/999", headers=headers)
    assert missing.status_code == 404
