import pytest
from httpx import AsyncClient

from tests.conftest import token

pytestmark = pytest.mark.anyio


async def _user(client: AsyncClient, name: str, scopes: list[str]) -> str:
    admin = await token(client, "root", "root-passphrase")
    response = await client.post(
        "/users",
        json={"username": name, "password": "password1", "scopes": scopes},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert response.status_code == 201, response.text
    return await token(client, name, "password1")


async def test_reader_reads_but_cannot_write(client: AsyncClient) -> None:
    reader = await _user(client, "reader", ["items:read"])
    headers = {"Authorization": f"Bearer {reader}"}
    assert (await client.get("/items", headers=headers)).status_code == 200
    denied = await client.post(
        "/items", json={"name": "a", "quantity": 1}, headers=headers
    )
    assert denied.status_code == 403
    assert 'error="insufficient_scope"' in denied.headers["www-authenticate"]


async def test_no_token_is_401(client: AsyncClient) -> None:
    response = await client.get("/items")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_scope_not_granted_is_400(client: AsyncClient) -> None:
    await _user(client, "limited", ["items:read"])
    response = await client.post(
        "/token",
        data={"username": "limited", "password": "password1", "scope": "items:write"},
    )
    assert response.status_code == 400


async def test_writer_creates_and_deleter_deletes(client: AsyncClient) -> None:
    writer = await _user(client, "writer", ["items:write"])
    created = await client.post(
        "/items",
        json={"name": "bolts", "quantity": 5},
        headers={"Authorization": f"Bearer {writer}"},
    )
    assert created.status_code == 201
    assert created.json()["created_by"] == "writer"
    deleter = await _user(client, "deleter", ["items:delete"])
    url = f"/items/{created.json()['id']}"
    deleted = await client.delete(url, headers={"Authorization": f"Bearer {deleter}"})
    assert deleted.status_code == 204
