import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_create_then_get(client: AsyncClient) -> None:
    created = await client.post(
        "/bookmarks", json={"url": "https://example.org/", "title": "Example"}
    )
    assert created.status_code == 201
    body = created.json()
    fetched = await client.get(f"/bookmarks/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["title"] == "Example"


async def test_invalid_url_is_rejected(client: AsyncClient) -> None:
    response = await client.post("/bookmarks", json={"url": "nope", "title": "x"})
    assert response.status_code == 422


async def test_pagination(client: AsyncClient) -> None:
    for number in range(3):
        await client.post(
            "/bookmarks", json={"url": f"https://e.org/{number}", "title": f"t{number}"}
        )
    page = (await client.get("/bookmarks", params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 3
    assert [item["title"] for item in page["items"]] == ["t1", "t2"]


async def test_delete_then_missing(client: AsyncClient) -> None:
    created = await client.post(
        "/bookmarks", json={"url": "https://example.org/", "title": "Example"}
    )
    bookmark_id = created.json()["id"]
    assert (await client.delete(f"/bookmarks/{bookmark_id}")).status_code == 204
    missing = await client.get(f"/bookmarks/{bookmark_id}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "bookmark_not_found"
