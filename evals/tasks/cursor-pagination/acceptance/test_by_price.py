"""Hidden acceptance tests for cursor-pagination: GET /products/by-price.

Every test puts its products in its own category and filters on it.
"""

import base64
import uuid
from typing import Any

import httpx
import pytest


def _category() -> str:
    return f"c{uuid.uuid4().hex[:10]}"


def _add(client: httpx.Client, category: str, price: int) -> int:
    body = {"name": f"p{price}", "category": category, "price_cents": price}
    response = client.post("/products", json=body)
    assert response.status_code == 201, response.text
    product_id: int = response.json()["id"]
    return product_id


def _page(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/products/by-price", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"items", "next_cursor"}
    return body


def _walk(client: httpx.Client, category: str, limit: int) -> list[list[int]]:
    pages: list[list[int]] = []
    page = _page(client, category=category, limit=limit)
    while True:
        pages.append([item["id"] for item in page["items"]])
        if page["next_cursor"] is None:
            return pages
        assert isinstance(page["next_cursor"], str)
        assert len(pages) < 50, "the cursors never end"
        page = _page(client, category=category, limit=limit, cursor=page["next_cursor"])


def test_first_page_is_cheapest_first(client: httpx.Client) -> None:
    category = _category()
    ids = {price: _add(client, category, price) for price in (300, 100, 200)}
    page = _page(client, category=category, limit=2)
    assert [item["id"] for item in page["items"]] == [ids[100], ids[200]]
    assert page["items"][0] == {
        "id": ids[100],
        "name": "p100",
        "category": category,
        "price_cents": 100,
    }
    assert isinstance(page["next_cursor"], str)


def test_walking_the_cursors_returns_every_product_once_in_order(
    client: httpx.Client,
) -> None:
    category = _category()
    prices = [300, 100, 200, 100, 100, 300, 200, 50]
    ids = [_add(client, category, price) for price in prices]
    expected = [i for _, i in sorted(zip(prices, ids, strict=True))]
    pages = _walk(client, category, 3)
    assert [len(page) for page in pages] == [3, 3, 2]
    assert [i for page in pages for i in page] == expected


def test_ties_are_broken_by_id_across_pages(client: httpx.Client) -> None:
    category = _category()
    ids = [_add(client, category, 500) for _ in range(5)]
    assert _walk(client, category, 2) == [ids[0:2], ids[2:4], ids[4:5]]


def test_an_exact_last_page_has_no_next_cursor(client: httpx.Client) -> None:
    category = _category()
    for price in (1, 2, 3, 4):
        _add(client, category, price)
    pages = _walk(client, category, 2)
    assert [len(page) for page in pages] == [2, 2]


def test_an_empty_category_is_one_empty_page(client: httpx.Client) -> None:
    page = _page(client, category=_category())
    assert page == {"items": [], "next_cursor": None}


def test_default_limit_is_20(client: httpx.Client) -> None:
    category = _category()
    for price in range(21):
        _add(client, category, price)
    page = _page(client, category=category)
    assert len(page["items"]) == 20
    rest = _page(client, category=category, cursor=page["next_cursor"])
    assert [item["price_cents"] for item in rest["items"]] == [20]
    assert rest["next_cursor"] is None


def test_deleting_a_seen_product_skips_nothing(client: httpx.Client) -> None:
    category = _category()
    ids = [_add(client, category, price) for price in (10, 20, 30, 40, 50)]
    first = _page(client, category=category, limit=2)
    assert [item["id"] for item in first["items"]] == ids[:2]
    assert client.delete(f"/products/{ids[0]}").status_code == 204
    second = _page(client, category=category, limit=2, cursor=first["next_cursor"])
    assert [item["id"] for item in second["items"]] == ids[2:4]


def test_new_products_appear_only_after_the_position(client: httpx.Client) -> None:
    category = _category()
    ids = [_add(client, category, price) for price in (10, 20, 30, 40)]
    first = _page(client, category=category, limit=2)
    cheaper = _add(client, category, 15)
    later = _add(client, category, 35)
    second = _page(client, category=category, limit=10, cursor=first["next_cursor"])
    found = [item["id"] for item in second["items"]]
    assert found == [ids[2], later, ids[3]]
    assert cheaper not in found


def test_the_category_filter_holds_on_every_page(client: httpx.Client) -> None:
    category, other = _category(), _category()
    mine = [_add(client, category, price) for price in (1, 3, 5)]
    for price in (2, 4, 6):
        _add(client, other, price)
    assert _walk(client, category, 1) == [[i] for i in mine]


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        base64.urlsafe_b64encode(b"hello world").decode(),
        base64.urlsafe_b64encode(b'{"unexpected": true}').decode(),
    ],
)
def test_a_cursor_we_did_not_issue_is_400(client: httpx.Client, cursor: str) -> None:
    response = client.get("/products/by-price", params={"cursor": cursor})
    assert response.status_code == 400, response.text
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_limit_out_of_range_is_422(client: httpx.Client, limit: int) -> None:
    response = client.get("/products/by-price", params={"limit": limit})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(item["loc"] == ["query", "limit"] for item in detail), detail
