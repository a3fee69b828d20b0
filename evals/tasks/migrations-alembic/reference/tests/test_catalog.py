from httpx import AsyncClient


async def _author(client: AsyncClient, name: str = "Ursula") -> int:
    response = await client.post("/authors", json={"name": name})
    assert response.status_code == 201
    author_id: int = response.json()["id"]
    return author_id


async def _book(client: AsyncClient, author_id: int, isbn: str) -> dict[str, object]:
    response = await client.post(
        "/books", json={"title": "A book", "isbn": isbn, "author_id": author_id}
    )
    assert response.status_code == 201
    body: dict[str, object] = response.json()
    return body


async def test_create_and_get_book(client: AsyncClient) -> None:
    author_id = await _author(client)
    response = await client.post(
        "/books",
        json={
            "title": "The Dispossessed",
            "isbn": "9780060512750",
            "author_id": author_id,
            "published_year": 1974,
        },
    )
    assert response.status_code == 201
    book = response.json()
    fetched = (await client.get(f"/books/{book['id']}")).json()
    assert fetched["published_year"] == 1974
    assert fetched["created_at"].endswith("Z")


async def test_duplicate_isbn_is_409(client: AsyncClient) -> None:
    author_id = await _author(client)
    await _book(client, author_id, "9780000000001")
    response = await client.post(
        "/books",
        json={"title": "Other", "isbn": "9780000000001", "author_id": author_id},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "isbn_taken"


async def test_unknown_author_is_404(client: AsyncClient) -> None:
    response = await client.post(
        "/books", json={"title": "x", "isbn": "9780000000002", "author_id": 999}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "author_not_found"


async def test_invalid_isbn_is_422(client: AsyncClient) -> None:
    author_id = await _author(client)
    response = await client.post(
        "/books", json={"title": "x", "isbn": "12345", "author_id": author_id}
    )
    assert response.status_code == 422


async def test_patch_changes_only_sent_fields(client: AsyncClient) -> None:
    author_id = await _author(client)
    book = await _book(client, author_id, "9780000000003")
    response = await client.patch(f"/books/{book['id']}", json={"published_year": 2001})
    assert response.status_code == 200
    assert response.json()["title"] == "A book"
    assert response.json()["published_year"] == 2001


async def test_author_with_books_cannot_be_deleted(client: AsyncClient) -> None:
    author_id = await _author(client)
    book = await _book(client, author_id, "9780000000004")
    assert (await client.delete(f"/authors/{author_id}")).status_code == 409
    assert (await client.delete(f"/books/{book['id']}")).status_code == 204
    assert (await client.delete(f"/authors/{author_id}")).status_code == 204


async def test_books_filtered_and_paginated(client: AsyncClient) -> None:
    first, second = await _author(client, "A"), await _author(client, "B")
    for number in range(3):
        await _book(client, first, f"978000000010{number}")
    await _book(client, second, "9780000000200")
    page = (
        await client.get("/books", params={"author_id": first, "limit": 2, "offset": 1})
    ).json()
    assert page["total"] == 3
    assert [item["isbn"] for item in page["items"]] == [
        "9780000000101",
        "9780000000102",
    ]


async def test_patch_with_null_title_is_422(client: AsyncClient) -> None:
    book = await _book(client, await _author(client), "9780000000099")

    response = await client.patch(f"/books/{book['id']}", json={"title": None})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "title"]
