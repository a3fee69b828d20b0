import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def add_author(client: AsyncClient, name: str, books: int) -> int:
    author = await client.post("/authors", json={"name": name})
    assert author.status_code == 201
    author_id: int = author.json()["id"]
    for number in range(books):
        book = await client.post(
            f"/authors/{author_id}/books", json={"title": f"b{number}", "year": 2000}
        )
        assert book.status_code == 201
    return author_id


async def test_author_embeds_books_in_order(client: AsyncClient) -> None:
    author_id = await add_author(client, "Le Guin", 3)
    body = (await client.get(f"/authors/{author_id}")).json()
    assert [book["title"] for book in body["books"]] == ["b0", "b1", "b2"]


async def test_book_embeds_author(client: AsyncClient) -> None:
    author_id = await add_author(client, "Jemisin", 1)
    page = (await client.get("/books")).json()
    assert page["items"][0]["author"] == {"id": author_id, "name": "Jemisin"}


async def test_listing_authors_takes_a_fixed_number_of_queries(
    client: AsyncClient,
) -> None:
    await add_author(client, "first", 2)
    small = await client.get("/authors", params={"limit": 1})
    for number in range(5):
        await add_author(client, f"a{number}", 3)
    large = await client.get("/authors", params={"limit": 100})
    assert len(large.json()["items"]) == 6
    assert small.headers["x-query-count"] == large.headers["x-query-count"] == "3"


async def test_listing_books_takes_a_fixed_number_of_queries(
    client: AsyncClient,
) -> None:
    for number in range(4):
        await add_author(client, f"a{number}", 2)
    response = await client.get("/books", params={"limit": 100})
    assert len(response.json()["items"]) == 8
    assert response.headers["x-query-count"] == "2"


async def test_deleting_an_author_deletes_their_books(client: AsyncClient) -> None:
    author_id = await add_author(client, "gone", 2)
    assert (await client.delete(f"/authors/{author_id}")).status_code == 204
    assert (await client.get(f"/authors/{author_id}")).status_code == 404
    assert (await client.get("/books")).json()["total"] == 0


async def test_book_for_missing_author(client: AsyncClient) -> None:
    response = await client.post(
        "/authors/999/books", json={"title": "orphan", "year": 2000}
    )
    assert response.status_code == 404
