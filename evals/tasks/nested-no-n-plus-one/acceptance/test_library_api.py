"""Hidden acceptance tests for nested-no-n-plus-one: black-box over HTTP.

N+1 queries are detected through the ``X-Query-Count`` header the prompt requires: a page
of many parents, each with several children, must cost as few statements as a page of one.
"""

import uuid
from datetime import datetime

import anyio
import httpx
import pytest

#: The statement budget the prompt states for every request.
BUDGET = 4


def _queries(response: httpx.Response) -> int:
    value = response.headers.get("x-query-count")
    assert value is not None, f"no X-Query-Count on {response.request.url}"
    assert value.isdigit(), value
    return int(value)


def _author(client: httpx.Client, name: str | None = None) -> dict[str, object]:
    response = client.post(
        "/authors", json={"name": name or f"author-{uuid.uuid4().hex[:8]}"}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _book(
    client: httpx.Client, author_id: object, title: str | None = None, year: int = 2001
) -> dict[str, object]:
    response = client.post(
        f"/authors/{author_id}/books",
        json={"title": title or f"book-{uuid.uuid4().hex[:8]}", "year": year},
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _shelf(client: httpx.Client, authors: int, books: int) -> list[int]:
    """Create ``authors`` authors with ``books`` books each; return their ids."""
    ids = []
    for _ in range(authors):
        author_id = _author(client)["id"]
        for _ in range(books):
            _book(client, author_id)
        assert isinstance(author_id, int)
        ids.append(author_id)
    return ids


def test_create_author_returns_it_without_books(client: httpx.Client) -> None:
    response = client.post("/authors", json={"name": "Ursula K. Le Guin"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Ursula K. Le Guin"
    assert body["books"] == []
    assert isinstance(body["id"], int)
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert _queries(response) >= 1


def test_add_book_embeds_its_author_and_persists(client: httpx.Client) -> None:
    author = _author(client, "N. K. Jemisin")
    book = _book(client, author["id"], "The Fifth Season", 2015)
    assert book["title"] == "The Fifth Season"
    assert book["year"] == 2015
    assert book["author"] == {"id": author["id"], "name": "N. K. Jemisin"}
    again = client.get(f"/books/{book['id']}")
    assert again.status_code == 200
    assert again.json()["author"] == {"id": author["id"], "name": "N. K. Jemisin"}
    assert again.json()["title"] == "The Fifth Season"


def test_author_embeds_books_oldest_first(client: httpx.Client) -> None:
    author = _author(client)
    titles = [f"vol-{number}-{uuid.uuid4().hex[:6]}" for number in range(3)]
    for title in titles:
        _book(client, author["id"], title)
    response = client.get(f"/authors/{author['id']}")
    assert response.status_code == 200
    books = response.json()["books"]
    assert [book["title"] for book in books] == titles
    assert set(books[0]) >= {"id", "title", "year"}


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/authors", {"name": ""}),
        ("/authors", {}),
        ("/authors/{author}/books", {"title": "", "year": 2000}),
        ("/authors/{author}/books", {"title": "Too early", "year": 999}),
        ("/authors/{author}/books", {"title": "Too late", "year": 2101}),
        ("/authors/{author}/books", {"title": "No year"}),
    ],
)
def test_invalid_input_is_422(
    client: httpx.Client, path: str, payload: dict[str, object]
) -> None:
    author = _author(client)
    response = client.post(path.format(author=author["id"]), json=payload)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()
    assert client.get(f"/authors/{author['id']}").json()["books"] == []


def test_missing_resources_are_404(client: httpx.Client) -> None:
    for response in (
        client.get("/authors/987654321"),
        client.get("/books/987654321"),
        client.get("/authors/987654321/books"),
        client.delete("/authors/987654321"),
        client.post("/authors/987654321/books", json={"title": "x", "year": 2000}),
    ):
        assert response.status_code == 404, response.request.url
        assert "detail" in response.json()
        assert _queries(response) >= 1, response.request.url


def test_author_list_is_paginated_with_books_embedded(client: httpx.Client) -> None:
    ids = _shelf(client, authors=3, books=2)
    total = client.get("/authors", params={"limit": 1}).json()["total"]
    page = client.get("/authors", params={"limit": 2, "offset": total - 3}).json()
    assert page["total"] == total
    assert page["limit"] == 2
    assert page["offset"] == total - 3
    assert [item["id"] for item in page["items"]] == ids[:2]
    assert all(len(item["books"]) == 2 for item in page["items"])


def test_book_list_is_paginated_with_authors_embedded(client: httpx.Client) -> None:
    author = _author(client)
    books = [_book(client, author["id"])["id"] for _ in range(3)]
    total = client.get("/books", params={"limit": 1}).json()["total"]
    page = client.get("/books", params={"limit": 2, "offset": total - 2}).json()
    assert page["total"] == total
    assert [item["id"] for item in page["items"]] == books[1:]
    assert all(item["author"]["id"] == author["id"] for item in page["items"])


def test_books_of_an_author_are_paginated(client: httpx.Client) -> None:
    author = _author(client)
    other = _author(client)
    _book(client, other["id"])
    books = [_book(client, author["id"])["id"] for _ in range(5)]
    page = client.get(
        f"/authors/{author['id']}/books", params={"limit": 2, "offset": 3}
    ).json()
    assert page["total"] == 5
    assert [item["id"] for item in page["items"]] == books[3:]
    assert page["items"][0]["author"]["id"] == author["id"]


@pytest.mark.parametrize("path", ["/authors", "/books", "/authors/{author}/books"])
def test_page_size_is_bounded(client: httpx.Client, path: str) -> None:
    url = path.format(author=_author(client)["id"])
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get(url, params=params).status_code == 422, params
    assert client.get(url, params={"limit": 100}).status_code == 200


def test_listing_authors_costs_the_same_for_one_or_many(client: httpx.Client) -> None:
    _shelf(client, authors=12, books=3)
    total = client.get("/authors", params={"limit": 1}).json()["total"]
    one = client.get("/authors", params={"limit": 1, "offset": total - 1})
    many = client.get("/authors", params={"limit": 12, "offset": total - 12})
    assert len(many.json()["items"]) == 12
    assert all(len(item["books"]) == 3 for item in many.json()["items"])
    assert 1 <= _queries(many) <= BUDGET
    assert _queries(many) <= _queries(one)


def test_listing_books_costs_the_same_for_one_or_many(client: httpx.Client) -> None:
    _shelf(client, authors=12, books=1)
    total = client.get("/books", params={"limit": 1}).json()["total"]
    one = client.get("/books", params={"limit": 1, "offset": total - 1})
    many = client.get("/books", params={"limit": 12, "offset": total - 12})
    authors = {item["author"]["id"] for item in many.json()["items"]}
    assert len(authors) == 12
    assert 1 <= _queries(many) <= BUDGET
    assert _queries(many) <= _queries(one)


def test_one_author_with_many_books_is_cheap(client: httpx.Client) -> None:
    author_id = _shelf(client, authors=1, books=15)[0]
    response = client.get(f"/authors/{author_id}")
    assert len(response.json()["books"]) == 15
    assert 1 <= _queries(response) <= BUDGET
    books = client.get(f"/authors/{author_id}/books", params={"limit": 15})
    assert len(books.json()["items"]) == 15
    assert 1 <= _queries(books) <= BUDGET


def test_every_response_reports_its_queries(client: httpx.Client) -> None:
    assert _queries(client.get("/authors/987654321")) >= 1
    assert _queries(client.get("/books", params={"limit": 0})) <= BUDGET
    assert _queries(client.get(f"/no-such-route/{uuid.uuid4()}")) == 0


def test_deleting_an_author_deletes_their_books(client: httpx.Client) -> None:
    author = _author(client)
    book = _book(client, author["id"])
    assert client.delete(f"/authors/{author['id']}").status_code == 204
    assert client.get(f"/authors/{author['id']}").status_code == 404
    assert client.get(f"/books/{book['id']}").status_code == 404
    listing = client.get("/books", params={"limit": 100}).json()
    assert book["id"] not in {item["id"] for item in listing["items"]}


async def test_concurrent_books_for_one_author_all_persist(
    async_client: httpx.AsyncClient,
) -> None:
    created = await async_client.post("/authors", json={"name": "Prolific"})
    author_id = created.json()["id"]
    titles = {f"c{number}-{uuid.uuid4().hex[:6]}" for number in range(6)}

    async def add(title: str) -> None:
        response = await async_client.post(
            f"/authors/{author_id}/books", json={"title": title, "year": 2020}
        )
        assert response.status_code == 201

    async with anyio.create_task_group() as group:
        for title in titles:
            group.start_soon(add, title)
    author = (await async_client.get(f"/authors/{author_id}")).json()
    assert {book["title"] for book in author["books"]} == titles


async def test_concurrent_requests_report_their_own_counts(
    async_client: httpx.AsyncClient,
) -> None:
    author = await async_client.post("/authors", json={"name": "Counted"})
    author_id = author.json()["id"]
    for title in ("one", "two"):
        await async_client.post(
            f"/authors/{author_id}/books", json={"title": title, "year": 2000}
        )
    urls = [f"/authors/{author_id}", "/books?limit=3", "/authors?limit=3"]
    alone = {url: _queries(await async_client.get(url)) for url in urls}
    seen: list[tuple[str, int]] = []

    async def fetch(url: str) -> None:
        response = await async_client.get(url)
        seen.append((url, _queries(response)))

    async with anyio.create_task_group() as group:
        for _ in range(8):
            for url in urls:
                group.start_soon(fetch, url)
    assert len(seen) == 24
    assert all(count == alone[url] for url, count in seen), (alone, seen)
