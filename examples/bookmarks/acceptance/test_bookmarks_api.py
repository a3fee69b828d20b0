"""Hidden acceptance tests for the bookmarks example: black-box over HTTP."""

import uuid

import httpx
import pytest


def _new(client: httpx.Client, title: str | None = None) -> dict[str, object]:
    response = client.post(
        "/bookmarks",
        json={"url": f"https://example.org/{uuid.uuid4()}", "title": title or "t"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_create_returns_the_bookmark(client: httpx.Client) -> None:
    body = _new(client, "Docs")
    assert body["title"] == "Docs"
    assert isinstance(body["id"], int)
    assert "created_at" in body


def test_created_bookmark_persists(client: httpx.Client) -> None:
    body = _new(client, "Persisted")
    again = client.get(f"/bookmarks/{body['id']}")
    assert again.status_code == 200
    assert again.json()["title"] == "Persisted"


@pytest.mark.parametrize(
    "payload",
    [{"url": "not a url", "title": "x"}, {"url": "https://e.org", "title": ""}, {"title": "x"}],
)
def test_invalid_input_is_422(client: httpx.Client, payload: dict[str, str]) -> None:
    response = client.post("/bookmarks", json=payload)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_missing_bookmark_is_404(client: httpx.Client) -> None:
    assert client.get("/bookmarks/999999").status_code == 404


def test_list_is_paginated(client: httpx.Client) -> None:
    for _ in range(3):
        _new(client)
    page = client.get("/bookmarks", params={"limit": 2, "offset": 0}).json()
    assert len(page["items"]) == 2
    assert page["total"] >= 3


def test_page_size_is_bounded(client: httpx.Client) -> None:
    assert client.get("/bookmarks", params={"limit": 0}).status_code == 422
    assert client.get("/bookmarks", params={"limit": 1000}).status_code == 422


def test_delete_removes(client: httpx.Client) -> None:
    body = _new(client)
    assert client.delete(f"/bookmarks/{body['id']}").status_code == 204
    assert client.get(f"/bookmarks/{body['id']}").status_code == 404


async def test_concurrent_creates_all_persist(async_client: httpx.AsyncClient) -> None:
    import anyio

    titles = [f"c{n}-{uuid.uuid4()}" for n in range(5)]

    async def create(title: str) -> None:
        response = await async_client.post(
            "/bookmarks", json={"url": "https://example.org/c", "title": title}
        )
        assert response.status_code == 201

    async with anyio.create_task_group() as group:
        for title in titles:
            group.start_soon(create, title)
    listing = (await async_client.get("/bookmarks", params={"limit": 100})).json()
    assert set(titles) <= {item["title"] for item in listing["items"]}
