"""Authors: create, read, list, delete (with books in the way)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest


def new_author(client: httpx.Client, name: str | None = None) -> dict:
    response = client.post("/authors", json={"name": name or f"Author {uuid.uuid4()}"})
    assert response.status_code == 201, response.text
    return response.json()


def new_isbn() -> str:
    return f"97{uuid.uuid4().int % 10**11:011d}"


def new_book(client: httpx.Client, author_id: int, **fields: object) -> dict:
    payload = {"title": "A title", "isbn": new_isbn(), "author_id": author_id, **fields}
    response = client.post("/books", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_author_returns_it(client: httpx.Client) -> None:
    body = new_author(client, "Stanisław Lem")
    assert isinstance(body["id"], int)
    assert body["name"] == "Stanisław Lem"
    created = datetime.fromisoformat(body["created_at"])
    assert created.tzinfo is not None
    assert abs(datetime.now(UTC) - created) < timedelta(hours=1)


def test_author_persists(client: httpx.Client) -> None:
    body = new_author(client)
    again = client.get(f"/authors/{body['id']}")
    assert again.status_code == 200
    assert again.json()["name"] == body["name"]


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "n" * 201}])
def test_invalid_author_is_422(client: httpx.Client, payload: dict) -> None:
    response = client.post("/authors", json=payload)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_missing_author_is_404(client: httpx.Client) -> None:
    response = client.get("/authors/9999999")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "author_not_found"
    assert isinstance(body["detail"], str)


def test_authors_are_paginated_oldest_first(client: httpx.Client) -> None:
    names = [new_author(client)["name"] for _ in range(3)]
    total = client.get("/authors", params={"limit": 1}).json()["total"]
    page = client.get("/authors", params={"limit": 2, "offset": total - 3}).json()
    assert page["total"] == total
    assert page["limit"] == 2
    assert page["offset"] == total - 3
    assert [item["name"] for item in page["items"]] == names[:2]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}])
def test_page_bounds_are_422(client: httpx.Client, params: dict) -> None:
    assert client.get("/authors", params=params).status_code == 422
    assert client.get("/books", params=params).status_code == 422


def test_author_with_books_cannot_be_deleted(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"])
    refused = client.delete(f"/authors/{author['id']}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "author_has_books"
    assert client.get(f"/authors/{author['id']}").status_code == 200
    assert client.delete(f"/books/{book['id']}").status_code == 204
    assert client.delete(f"/authors/{author['id']}").status_code == 204
    assert client.get(f"/authors/{author['id']}").status_code == 404
