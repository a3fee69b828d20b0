"""Books: the schema the migrations built, its constraints and defaults, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import anyio
import httpx
import pytest
from test_authors import new_author, new_book, new_isbn


def test_create_book_returns_every_field(client: httpx.Client) -> None:
    author = new_author(client)
    isbn = new_isbn()
    response = client.post(
        "/books",
        json={
            "title": "Solaris",
            "isbn": isbn,
            "author_id": author["id"],
            "published_year": 1961,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["title"] == "Solaris"
    assert body["isbn"] == isbn
    assert body["author_id"] == author["id"]
    assert body["published_year"] == 1961
    created = datetime.fromisoformat(body["created_at"])
    assert created.tzinfo is not None
    assert abs(datetime.now(UTC) - created) < timedelta(hours=1)


def test_book_persists(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"], title="Fiasco", published_year=1986)
    again = client.get(f"/books/{book['id']}")
    assert again.status_code == 200
    assert again.json() == book


def test_published_year_is_optional(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"])
    assert book["published_year"] is None
    assert client.get(f"/books/{book['id']}").json()["published_year"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"isbn": "978000000000"},
        {"isbn": "97800000000ab"},
        {"title": ""},
        {"published_year": 1200},
        {"author_id": None},
    ],
)
def test_invalid_book_is_422(client: httpx.Client, change: dict) -> None:
    author = new_author(client)
    payload = {"title": "T", "isbn": new_isbn(), "author_id": author["id"], **change}
    payload = {key: value for key, value in payload.items() if value is not None}
    response = client.post("/books", json=payload)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_book_of_unknown_author_is_404(client: httpx.Client) -> None:
    response = client.post(
        "/books", json={"title": "T", "isbn": new_isbn(), "author_id": 9999999}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "author_not_found"


def test_duplicate_isbn_is_409(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"], title="First")
    response = client.post(
        "/books", json={"title": "Second", "isbn": book["isbn"], "author_id": author["id"]}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "isbn_taken"
    assert isinstance(body["detail"], str)
    listing = client.get("/books", params={"author_id": author["id"]}).json()
    assert [item["title"] for item in listing["items"]] == ["First"]


async def test_concurrent_duplicates_create_one_book(
    async_client: httpx.AsyncClient,
) -> None:
    author = (await async_client.post("/authors", json={"name": "Racer"})).json()
    isbn = new_isbn()
    statuses: list[int] = []

    async def create(number: int) -> None:
        response = await async_client.post(
            "/books",
            json={"title": f"Copy {number}", "isbn": isbn, "author_id": author["id"]},
        )
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for number in range(6):
            group.start_soon(create, number)
    assert sorted(statuses) == [201] + [409] * 5
    listing = await async_client.get("/books", params={"author_id": author["id"]})
    assert listing.json()["total"] == 1


def test_patch_changes_only_the_sent_fields(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"], title="Draft", published_year=1990)
    response = client.patch(f"/books/{book['id']}", json={"published_year": 1991})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Draft"
    assert response.json()["published_year"] == 1991
    response = client.patch(f"/books/{book['id']}", json={"title": "Final"})
    assert response.json()["published_year"] == 1991
    again = client.get(f"/books/{book['id']}").json()
    assert again["title"] == "Final"
    assert again["published_year"] == 1991
    assert again["isbn"] == book["isbn"]


def test_patch_errors(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"])
    invalid = client.patch(f"/books/{book['id']}", json={"published_year": 3000})
    assert invalid.status_code == 422
    missing = client.patch("/books/9999999", json={"title": "x"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "book_not_found"


def test_deleted_book_is_gone_and_its_isbn_free(client: httpx.Client) -> None:
    author = new_author(client)
    book = new_book(client, author["id"])
    assert client.delete(f"/books/{book['id']}").status_code == 204
    assert client.get(f"/books/{book['id']}").status_code == 404
    assert client.delete(f"/books/{book['id']}").status_code == 404
    again = new_book(client, author["id"], isbn=book["isbn"])
    assert client.get(f"/books/{again['id']}").json()["isbn"] == book["isbn"]


def test_books_filtered_by_author_and_paginated(client: httpx.Client) -> None:
    author, other = new_author(client), new_author(client)
    isbns = [new_book(client, author["id"])["isbn"] for _ in range(3)]
    new_book(client, other["id"])
    page = client.get(
        "/books", params={"author_id": author["id"], "limit": 2, "offset": 1}
    ).json()
    assert page["total"] == 3
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [item["isbn"] for item in page["items"]] == isbns[1:]
    everything = client.get("/books", params={"limit": 100}).json()
    assert everything["total"] >= 4
