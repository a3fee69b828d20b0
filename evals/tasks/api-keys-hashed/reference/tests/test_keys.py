import pytest
from httpx import AsyncClient

from tests.conftest import ADMIN

pytestmark = pytest.mark.anyio


async def _issue(client: AsyncClient, scopes: list[str]) -> dict[str, object]:
    response = await client.post(
        "/keys", json={"name": "partner", "scopes": scopes}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_key_is_shown_once(client: AsyncClient) -> None:
    created = await _issue(client, ["write", "read"])
    key = str(created["key"])
    assert key.startswith("ak_")
    assert created["prefix"] == key[:12]
    assert created["scopes"] == ["read", "write"]
    listed = await client.get(f"/keys/{created['id']}", headers=ADMIN)
    assert "key" not in listed.json()
    assert key not in listed.text


async def test_key_authenticates_until_revoked(client: AsyncClient) -> None:
    created = await _issue(client, ["read"])
    headers = {"X-API-Key": str(created["key"])}
    assert (await client.get("/whoami", headers=headers)).status_code == 200
    forbidden = await client.post("/messages", json={"text": "hi"}, headers=headers)
    assert forbidden.status_code == 403
    await client.delete(f"/keys/{created['id']}", headers=ADMIN)
    assert (await client.get("/whoami", headers=headers)).status_code == 401


async def test_admin_header_is_required(client: AsyncClient) -> None:
    assert (await client.get("/keys")).status_code == 401
    wrong = await client.get("/keys", headers={"X-Admin-Key": "nope"})
    assert wrong.status_code == 401


async def test_wrong_key_with_a_known_prefix_is_401(client: AsyncClient) -> None:
    created = await _issue(client, ["read"])
    forged = str(created["key"])[:12] + "x" * 40
    assert (
        await client.get("/whoami", headers={"X-API-Key": forged})
    ).status_code == 401
