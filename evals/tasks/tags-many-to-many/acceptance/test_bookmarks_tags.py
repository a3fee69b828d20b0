"""Hidden acceptance tests for tags-many-to-many: black-box over HTTP.

Every test uses tag names with a unique marker, so filters and tag counts only see the
test's own data. N+1 queries are detected through the ``X-Query-Count`` header.
"""

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

#: The statement budget the prompt states for every GET.
BUDGET = 4


def _marker() -> str:
    return f"m{uuid.uuid4().hex[:10]}"


def _queries(response: httpx.Response) -> int:
    value = response.headers.get("x-query-count")
    assert value is not None, f"no X-Query-Count on {response.request.url}"
    assert value.isdigit(), value
    return int(value)


def _create(client: httpx.Client, tags: list[str], title: str = "") -> dict[str, Any]:
    slug = uuid.uuid4().hex[:8]
    response = client.post(
        "/bookmarks",
        json={
            "url": f"https://example.com/{slug}",
            "title": title or f"title {slug}",
            "tags": tags,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _page(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_create_returns_the_bookmark_with_sorted_tags(client: httpx.Client) -> None:
    m = _marker()
    response = client.post(
        "/bookmarks",
        json={
            "url": "https://docs.python.org/3/library/asyncio.html",
            "title": "  asyncio docs ",
            "tags": [f"{m}-zeta", f"{m}-alpha"],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["url"] == "https://docs.python.org/3/library/asyncio.html"
    assert body["title"] == "asyncio docs"
    assert body["tags"] == [f"{m}-alpha", f"{m}-zeta"]
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


def test_bookmark_persists_with_its_tags(client: httpx.Client) -> None:
    m = _marker()
    created = _create(client, [f"{m}-b", f"{m}-a"])
    response = client.get(f"/bookmarks/{created['id']}")
    assert response.status_code == 200
    assert response.json()["tags"] == [f"{m}-a", f"{m}-b"]
    assert response.json()["url"] == created["url"]


def test_tags_default_to_empty(client: httpx.Client) -> None:
    response = client.post(
        "/bookmarks", json={"url": "https://example.org/plain", "title": "plain"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["tags"] == []


def test_tag_names_are_normalised_and_deduplicated(client: httpx.Client) -> None:
    m = _marker()
    body = _create(client, [f"  {m.upper()}-Web ", f"{m}-web", f"{m}-API"])
    assert body["tags"] == [f"{m}-api", f"{m}-web"]


def test_the_same_tag_is_shared_between_bookmarks(client: httpx.Client) -> None:
    m = _marker()
    _create(client, [f"{m}-x"])
    _create(client, [f"{m.upper()}-X", f"{m}-y"])
    page = _page(client, "/tags", prefix=m)
    assert page["items"] == [
        {"name": f"{m}-x", "bookmarks": 2},
        {"name": f"{m}-y", "bookmarks": 1},
    ]
    assert page["total"] == 2


@pytest.mark.parametrize(
    "payload",
    [
        {"url": "not a url", "title": "t", "tags": []},
        {"url": "ftp://example.com/file", "title": "t", "tags": []},
        {"url": "https://example.com/x", "title": "   ", "tags": []},
        {"url": "https://example.com/x", "title": "t", "tags": ["has space"]},
        {"url": "https://example.com/x", "title": "t", "tags": ["x" * 31]},
        {"url": "https://example.com/x", "title": "t", "tags": [""]},
    ],
    ids=["bad-url", "ftp-url", "blank-title", "tag-space", "tag-too-long", "tag-empty"],
)
def test_invalid_bookmark_is_422(client: httpx.Client, payload: dict[str, Any]) -> None:
    response = client.post("/bookmarks", json=payload)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_at_most_ten_distinct_tags(client: httpx.Client) -> None:
    m = _marker()
    eleven = [f"{m}-{n}" for n in range(11)]
    response = client.post(
        "/bookmarks",
        json={"url": "https://example.com/many", "title": "many", "tags": eleven},
    )
    assert response.status_code == 422, response.text
    assert _page(client, "/tags", prefix=m)["total"] == 0
    ten_with_repeats = [*eleven[:10], eleven[0].upper(), f" {eleven[1]}"]
    assert len(_create(client, ten_with_repeats)["tags"]) == 10


def test_filter_by_one_tag(client: httpx.Client) -> None:
    m = _marker()
    first = _create(client, [f"{m}-py", f"{m}-web"])
    _create(client, [f"{m}-go"])
    third = _create(client, [f"{m}-py"])
    page = _page(client, "/bookmarks", tag=f"{m}-py")
    assert _ids(page) == [first["id"], third["id"]]
    assert page["total"] == 2
    upper = _page(client, "/bookmarks", tag=f" {m.upper()}-PY")
    assert _ids(upper) == [first["id"], third["id"]]


def test_filter_by_several_tags_needs_all_by_default(client: httpx.Client) -> None:
    m = _marker()
    both = _create(client, [f"{m}-py", f"{m}-web", f"{m}-db"])
    _create(client, [f"{m}-py"])
    _create(client, [f"{m}-web"])
    page = _page(client, "/bookmarks", tag=[f"{m}-py", f"{m}-web"])
    assert _ids(page) == [both["id"]]
    assert page["total"] == 1
    explicit = _page(client, "/bookmarks", tag=[f"{m}-py", f"{m}-web"], match="all")
    assert _ids(explicit) == [both["id"]]


def test_match_any_lists_each_bookmark_once(client: httpx.Client) -> None:
    m = _marker()
    both = _create(client, [f"{m}-py", f"{m}-web"])
    py = _create(client, [f"{m}-py"])
    _create(client, [f"{m}-go"])
    web = _create(client, [f"{m}-web"])
    page = _page(client, "/bookmarks", tag=[f"{m}-py", f"{m}-web"], match="any")
    assert _ids(page) == [both["id"], py["id"], web["id"]]
    assert page["total"] == 3


def test_filter_pages_are_exact(client: httpx.Client) -> None:
    m = _marker()
    ids = [_create(client, [f"{m}-a", f"{m}-b"])["id"] for _ in range(5)]
    params = {"tag": [f"{m}-a", f"{m}-b"], "match": "any", "limit": 2}
    first = _page(client, "/bookmarks", **params, offset=0)
    assert _ids(first) == ids[:2]
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    assert _ids(_page(client, "/bookmarks", **params, offset=2)) == ids[2:4]
    assert _ids(_page(client, "/bookmarks", **params, offset=4)) == ids[4:]


def test_list_parameters_are_validated(client: httpx.Client) -> None:
    m = _marker()
    _create(client, [f"{m}-a"])
    for params in (
        {"tag": f"{m}-a", "match": "some"},
        {"tag": "bad tag!"},
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
    ):
        response = client.get("/bookmarks", params=params)
        assert response.status_code == 422, params


def test_replacing_tags_replaces_them(client: httpx.Client) -> None:
    m = _marker()
    bookmark = _create(client, [f"{m}-old", f"{m}-keep"])
    response = client.put(
        f"/bookmarks/{bookmark['id']}/tags", json={"tags": [f"{m}-new", f"{m}-KEEP"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["tags"] == [f"{m}-keep", f"{m}-new"]
    again = client.get(f"/bookmarks/{bookmark['id']}").json()
    assert again["tags"] == [f"{m}-keep", f"{m}-new"]
    assert _page(client, "/bookmarks", tag=f"{m}-old")["total"] == 0
    names = [item["name"] for item in _page(client, "/tags", prefix=m)["items"]]
    assert names == [f"{m}-keep", f"{m}-new"]


def test_replacing_with_no_tags_clears_them(client: httpx.Client) -> None:
    m = _marker()
    bookmark = _create(client, [f"{m}-a"])
    response = client.put(f"/bookmarks/{bookmark['id']}/tags", json={"tags": []})
    assert response.status_code == 200
    assert response.json()["tags"] == []
    assert _page(client, "/tags", prefix=m)["total"] == 0


def test_unknown_bookmark_is_404(client: httpx.Client) -> None:
    bookmark = _create(client, [])
    assert client.delete(f"/bookmarks/{bookmark['id']}").status_code == 204
    for response in (
        client.get(f"/bookmarks/{bookmark['id']}"),
        client.put(f"/bookmarks/{bookmark['id']}/tags", json={"tags": ["a"]}),
        client.delete(f"/bookmarks/{bookmark['id']}"),
    ):
        assert response.status_code == 404, response.request.url
        assert isinstance(response.json()["detail"], str)


def test_deleted_bookmark_leaves_tag_counts(client: httpx.Client) -> None:
    m = _marker()
    gone = _create(client, [f"{m}-shared", f"{m}-solo"])
    _create(client, [f"{m}-shared"])
    assert client.delete(f"/bookmarks/{gone['id']}").status_code == 204
    page = _page(client, "/tags", prefix=m)
    assert page["items"] == [{"name": f"{m}-shared", "bookmarks": 1}]
    assert _page(client, "/bookmarks", tag=f"{m}-shared")["total"] == 1


def test_tags_are_listed_by_name_with_prefix_and_pages(client: httpx.Client) -> None:
    m = _marker()
    for name in ("delta", "alpha", "charlie", "bravo"):
        _create(client, [f"{m}-{name}"])
    page = _page(client, "/tags", prefix=m, limit=2, offset=1)
    assert [item["name"] for item in page["items"]] == [f"{m}-bravo", f"{m}-charlie"]
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert _page(client, "/tags", prefix=f"{m}-b")["total"] == 1
    assert client.get("/tags", params={"limit": 101}).status_code == 422


def test_listing_many_bookmarks_costs_a_fixed_number_of_queries(
    client: httpx.Client,
) -> None:
    m = _marker()
    for n in range(12):
        _create(client, [f"{m}-common", f"{m}-t{n}", f"{m}-u{n}", f"{m}-v{n}"])
    one = client.get("/bookmarks", params={"tag": f"{m}-common", "limit": 1})
    many = client.get("/bookmarks", params={"tag": f"{m}-common", "limit": 12})
    assert len(many.json()["items"]) == 12
    assert all(len(item["tags"]) == 4 for item in many.json()["items"])
    assert 1 <= _queries(many) <= BUDGET
    assert _queries(many) <= _queries(one)


def test_filtering_by_many_tags_costs_a_fixed_number_of_queries(
    client: httpx.Client,
) -> None:
    m = _marker()
    tags = [f"{m}-{n}" for n in range(8)]
    expected = [_create(client, tags)["id"] for _ in range(3)]
    for match in ("all", "any"):
        response = client.get("/bookmarks", params={"tag": tags, "match": match})
        assert _ids(response.json()) == expected
        assert 1 <= _queries(response) <= BUDGET
    single = client.get(f"/bookmarks/{expected[0]}")
    assert len(single.json()["tags"]) == 8
    assert 1 <= _queries(single) <= BUDGET
    tag_page = client.get("/tags", params={"prefix": m, "limit": 8})
    assert len(tag_page.json()["items"]) == 8
    assert 1 <= _queries(tag_page) <= BUDGET


async def test_concurrent_bookmarks_share_a_new_tag(
    async_client: httpx.AsyncClient,
) -> None:
    m = _marker()
    responses = await asyncio.gather(
        *(
            async_client.post(
                "/bookmarks",
                json={
                    "url": f"https://example.com/{m}/{n}",
                    "title": f"c{n}",
                    "tags": [f"{m}-fresh"],
                },
            )
            for n in range(6)
        )
    )
    assert [r.status_code for r in responses] == [201] * 6, [r.text for r in responses]
    page = (await async_client.get("/tags", params={"prefix": m})).json()
    assert page["items"] == [{"name": f"{m}-fresh", "bookmarks": 6}]
