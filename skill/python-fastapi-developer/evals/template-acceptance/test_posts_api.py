"""Black-box acceptance tests for assets/project-template, run by `harness score --acceptance`.

They check the template as served by uvicorn (lifespan on, fresh SQLite database): what a
project generated from the skill must still do after the template is copied.
"""

import uuid

import httpx
import pytest


def _new(client: httpx.Client, title: str | None = None) -> dict[str, object]:
    response = client.post(
        "/posts", json={"title": title or f"t-{uuid.uuid4()}", "content": "Body"}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_create_returns_the_post_with_utc_timestamp(client: httpx.Client) -> None:
    body = _new(client, f"Docs {uuid.uuid4()}")
    assert isinstance(body["id"], int)
    assert str(body["created_at"]).endswith("Z")
    assert body["updated_at"] is None


def test_created_post_persists(client: httpx.Client) -> None:
    body = _new(client)
    again = client.get(f"/posts/{body['id']}")
    assert again.status_code == 200
    assert again.json()["title"] == body["title"]


@pytest.mark.parametrize(
    "payload",
    [{"title": "", "content": "x"}, {"content": "x"}, {"title": "x", "content": ""}],
)
def test_invalid_input_is_422(client: httpx.Client, payload: dict[str, str]) -> None:
    response = client.post("/posts", json=payload)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_duplicate_title_is_409_with_code(client: httpx.Client) -> None:
    body = _new(client)
    again = client.post("/posts", json={"title": body["title"], "content": "x"})
    assert again.status_code == 409
    assert again.json()["code"] == "post_title_taken"


def test_missing_post_is_404_with_code(client: httpx.Client) -> None:
    response = client.get("/posts/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "post_not_found"


def test_list_is_paginated_and_bounded(client: httpx.Client) -> None:
    for _ in range(3):
        _new(client)
    page = client.get("/posts", params={"limit": 2, "offset": 0}).json()
    assert len(page["items"]) == 2
    assert page["total"] >= 3
    assert client.get("/posts", params={"limit": 0}).status_code == 422
    assert client.get("/posts", params={"limit": 1000}).status_code == 422


def test_patch_updates_and_sets_updated_at(client: httpx.Client) -> None:
    body = _new(client)
    response = client.patch(f"/posts/{body['id']}", json={"content": "Changed"})
    assert response.status_code == 200
    assert response.json()["content"] == "Changed"
    assert response.json()["updated_at"] is not None


def test_delete_removes(client: httpx.Client) -> None:
    body = _new(client)
    assert client.delete(f"/posts/{body['id']}").status_code == 204
    assert client.get(f"/posts/{body['id']}").status_code == 404
