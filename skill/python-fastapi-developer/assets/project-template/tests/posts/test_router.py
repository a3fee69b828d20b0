import pytest
from httpx2 import AsyncClient

pytestmark = pytest.mark.anyio


async def create_post(client: AsyncClient, title: str = "Hello") -> dict[str, object]:
    response = await client.post("/posts", json={"title": title, "content": "Body"})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_create_then_get(client: AsyncClient) -> None:
    created = await create_post(client)

    response = await client.get(f"/posts/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created
    assert (created["title"], created["content"]) == ("Hello", "Body")
    assert str(created["created_at"]).endswith("Z")


async def test_duplicate_title_is_409(client: AsyncClient) -> None:
    await create_post(client, "Same")

    response = await client.post("/posts", json={"title": "Same", "content": "x"})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "A post titled 'Same' already exists",
        "code": "post_title_taken",
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "content": "x"}, "title"),
        ({"title": "x"}, "content"),
        ({"title": "x" * 201, "content": "x"}, "title"),
    ],
)
async def test_invalid_body_is_422(
    client: AsyncClient, payload: dict[str, str], field: str
) -> None:
    response = await client.post("/posts", json=payload)

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]


async def test_missing_post_is_404(client: AsyncClient) -> None:
    response = await client.get("/posts/999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Post 999 not found", "code": "post_not_found"}


async def test_list_is_paginated_newest_first(client: AsyncClient) -> None:
    for title in ("a", "b", "c"):
        await create_post(client, title)

    response = await client.get("/posts", params={"limit": 2, "offset": 0})

    assert response.status_code == 200
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [item["title"] for item in page["items"]] == ["c", "b"]


async def test_limit_above_maximum_is_422(client: AsyncClient) -> None:
    response = await client.get("/posts", params={"limit": 1000})

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "limit"]]


async def test_patch_changes_only_sent_fields(client: AsyncClient) -> None:
    created = await create_post(client)

    response = await client.patch(f"/posts/{created['id']}", json={"content": "New"})

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["content"]) == ("Hello", "New")
    assert body["updated_at"] is not None


@pytest.mark.parametrize("field", ["title", "content"])
async def test_patch_with_null_is_422_and_changes_nothing(
    client: AsyncClient, field: str
) -> None:
    created = await create_post(client)

    response = await client.patch(f"/posts/{created['id']}", json={field: None})

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["loc"], error["msg"]) == (
        ["body", field],
        "Value error, may be omitted but not null",
    )
    assert (await client.get(f"/posts/{created['id']}")).json() == created


async def test_delete_then_missing(client: AsyncClient) -> None:
    created = await create_post(client)

    deleted = await client.delete(f"/posts/{created['id']}")

    assert (deleted.status_code, deleted.content) == (204, b"")
    missing = await client.get(f"/posts/{created['id']}")
    assert (missing.status_code, missing.json()["code"]) == (404, "post_not_found")
