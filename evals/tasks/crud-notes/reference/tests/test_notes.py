import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _create(
    client: AsyncClient, title: str, **extra: object
) -> dict[str, object]:
    response = await client.post("/notes", json={"title": title, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_create_then_get(client: AsyncClient) -> None:
    note = await _create(client, "Groceries", body="milk")
    fetched = await client.get(f"/notes/{note['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["body"] == "milk"
    assert fetched.json()["pinned"] is False


async def test_blank_title_is_rejected(client: AsyncClient) -> None:
    response = await client.post("/notes", json={"title": "   "})
    assert response.status_code == 422


async def test_pagination_and_total(client: AsyncClient) -> None:
    for number in range(3):
        await _create(client, f"n{number}")
    page = (await client.get("/notes", params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 3
    assert [item["title"] for item in page["items"]] == ["n1", "n2"]


async def test_search_and_pinned_filter(client: AsyncClient) -> None:
    await _create(client, "Trip to Rome", pinned=True)
    await _create(client, "rome notes")
    await _create(client, "Other")
    found = (await client.get("/notes", params={"q": "ROME"})).json()
    assert found["total"] == 2
    pinned = (await client.get("/notes", params={"q": "rome", "pinned": True})).json()
    assert [item["title"] for item in pinned["items"]] == ["Trip to Rome"]


async def test_patch_changes_only_sent_fields(client: AsyncClient) -> None:
    note = await _create(client, "Draft", body="keep me")
    changed = await client.patch(f"/notes/{note['id']}", json={"title": "Final"})
    assert changed.status_code == 200
    assert changed.json() == {**changed.json(), "title": "Final", "body": "keep me"}


async def test_delete_then_missing(client: AsyncClient) -> None:
    note = await _create(client, "Temporary")
    assert (await client.delete(f"/notes/{note['id']}")).status_code == 204
    assert (await client.get(f"/notes/{note['id']}")).status_code == 404
    assert (await client.delete(f"/notes/{note['id']}")).status_code == 404
