import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _create(client: AsyncClient, title: str, tags: list[str]) -> int:
    response = await client.post(
        "/bookmarks",
        json={"url": f"https://example.com/{title}", "title": title, "tags": tags},
    )
    assert response.status_code == 201, response.text
    bookmark_id: int = response.json()["id"]
    return bookmark_id


async def test_tags_are_normalised_and_sorted(client: AsyncClient) -> None:
    response = await client.post(
        "/bookmarks",
        json={
            "url": "https://example.com/a",
            "title": "A",
            "tags": ["Web", " api", "web"],
        },
    )
    assert response.status_code == 201
    assert response.json()["tags"] == ["api", "web"]


async def test_filter_all_and_any(client: AsyncClient) -> None:
    both = await _create(client, "both", ["python", "web"])
    only = await _create(client, "only", ["python"])
    await _create(client, "none", ["go"])
    every = await client.get("/bookmarks", params={"tag": ["python", "web"]})
    assert [item["id"] for item in every.json()["items"]] == [both]
    some = await client.get(
        "/bookmarks", params={"tag": ["python", "web"], "match": "any"}
    )
    assert [item["id"] for item in some.json()["items"]] == [both, only]
    assert some.json()["total"] == 2


async def test_replace_tags_and_tag_counts(client: AsyncClient) -> None:
    first = await _create(client, "first", ["a", "b"])
    await _create(client, "second", ["b"])
    response = await client.put(f"/bookmarks/{first}/tags", json={"tags": ["c"]})
    assert response.json()["tags"] == ["c"]
    tags = (await client.get("/tags")).json()["items"]
    assert tags == [{"name": "b", "bookmarks": 1}, {"name": "c", "bookmarks": 1}]


async def test_delete_unlinks_tags(client: AsyncClient) -> None:
    gone = await _create(client, "gone", ["solo"])
    assert (await client.delete(f"/bookmarks/{gone}")).status_code == 204
    assert (await client.get(f"/bookmarks/{gone}")).status_code == 404
    assert (await client.get("/tags", params={"prefix": "solo"})).json()["total"] == 0


async def test_list_queries_do_not_grow(client: AsyncClient) -> None:
    for number in range(5):
        await _create(client, f"b{number}", ["x", "y", f"t{number}"])
    response = await client.get("/bookmarks", params={"limit": 5})
    assert len(response.json()["items"]) == 5
    assert int(response.headers["x-query-count"]) <= 4


async def test_too_many_tags_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/bookmarks",
        json={
            "url": "https://example.com/x",
            "title": "x",
            "tags": [f"t{n}" for n in range(11)],
        },
    )
    assert response.status_code == 422
