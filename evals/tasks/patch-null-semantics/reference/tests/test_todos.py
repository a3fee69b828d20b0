import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _create(client: AsyncClient, **fields: object) -> dict[str, object]:
    response = await client.post("/todos", json={"title": "Write report", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_patch_changes_only_what_was_sent(client: AsyncClient) -> None:
    todo = await _create(client, description="draft", priority=5, due_on="2026-07-01")
    response = await client.patch(f"/todos/{todo['id']}", json={"done": True})
    assert response.status_code == 200
    body = response.json()
    assert (body["done"], body["description"], body["priority"]) == (True, "draft", 5)
    assert body["due_on"] == "2026-07-01"


async def test_null_clears_nullable_fields_only(client: AsyncClient) -> None:
    todo = await _create(client, due_on="2026-07-01", assignee_email="A@Example.com")
    assert todo["assignee_email"] == "a@example.com"
    cleared = await client.patch(f"/todos/{todo['id']}", json={"due_on": None})
    assert cleared.json()["due_on"] is None
    assert cleared.json()["assignee_email"] == "a@example.com"
    for field in ("title", "priority", "done"):
        response = await client.patch(f"/todos/{todo['id']}", json={field: None})
        assert response.status_code == 422, field


async def test_put_resets_what_it_leaves_out(client: AsyncClient) -> None:
    todo = await _create(client, description="x", priority=1, done=True)
    response = await client.put(f"/todos/{todo['id']}", json={"title": "New"})
    body = response.json()
    assert (body["description"], body["priority"], body["done"]) == (None, 3, False)


async def test_unknown_fields_are_422(client: AsyncClient) -> None:
    todo = await _create(client)
    response = await client.patch(f"/todos/{todo['id']}", json={"colour": "red"})
    assert response.status_code == 422
