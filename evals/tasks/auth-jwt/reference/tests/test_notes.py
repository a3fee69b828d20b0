import pytest
from httpx import AsyncClient

from tests.conftest import Login

pytestmark = pytest.mark.anyio


async def test_create_list_update_delete(client: AsyncClient, login: Login) -> None:
    headers = await login("fay@example.com")
    created = await client.post(
        "/notes", json={"title": "Groceries", "body": "eggs"}, headers=headers
    )
    assert created.status_code == 201
    note_id = created.json()["id"]
    page = (await client.get("/notes", headers=headers)).json()
    assert [item["id"] for item in page["items"]] == [note_id]
    patched = await client.patch(
        f"/notes/{note_id}", json={"body": "eggs, milk"}, headers=headers
    )
    assert patched.json()["body"] == "eggs, milk"
    assert patched.json()["title"] == "Groceries"
    deleted = await client.delete(f"/notes/{note_id}", headers=headers)
    assert deleted.status_code == 204
    missing = await client.get(f"/notes/{note_id}", headers=headers)
    assert missing.status_code == 404


async def test_other_users_notes_are_forbidden(
    client: AsyncClient, login: Login
) -> None:
    owner = await login("gus@example.com")
    intruder = await login("hal@example.com")
    note = (await client.post("/notes", json={"title": "mine"}, headers=owner)).json()
    url = f"/notes/{note['id']}"
    assert (await client.get(url, headers=intruder)).status_code == 403
    assert (await client.delete(url, headers=intruder)).status_code == 403
    assert (await client.get("/notes", headers=intruder)).json()["total"] == 0
    assert (await client.get(url, headers=owner)).status_code == 200


async def test_notes_need_a_token(client: AsyncClient) -> None:
    assert (await client.get("/notes")).status_code == 401
    assert (await client.get("/notes/1")).status_code == 401
