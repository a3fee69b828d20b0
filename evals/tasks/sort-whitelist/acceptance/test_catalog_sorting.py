"""Hidden acceptance tests for sort-whitelist: black-box over HTTP.

Every test puts its products in a category of its own and filters on it, so sorting and
totals only see the test's own data.
"""

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest


def _category() -> str:
    return f"c{uuid.uuid4().hex[:12]}"


def _create(
    client: httpx.Client,
    category: str,
    name: str,
    price: int = 100,
    stock: int = 1,
    cost: int = 50,
) -> dict[str, Any]:
    response = client.post(
        "/products",
        json={
            "name": name,
            "category": category,
            "price": price,
            "stock": stock,
            "cost": cost,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _page(client: httpx.Client, category: str, **params: Any) -> dict[str, Any]:
    response = client.get("/products", params={"category": category, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _names(client: httpx.Client, category: str, **params: Any) -> list[str]:
    return [item["name"] for item in _page(client, category, **params)["items"]]


def _shelf(client: httpx.Client) -> str:
    """Five products; ties on one key are ordered differently by id and by name."""
    category = _category()
    for name, price, stock, cost in (
        ("echo", 300, 2, 30),
        ("bravo", 150, 0, 20),
        ("delta", 300, 0, 10),
        ("charlie", 50, 5, 70),
        ("alpha", 150, 5, 90),
    ):
        _create(client, category, name, price, stock, cost)
    return category


# Behaviour that already works in the starter and must keep working.


def test_create_and_get_a_product(client: httpx.Client) -> None:
    category = _category()
    created = _create(client, category, "lamp", price=1999, stock=4, cost=800)
    assert created["name"] == "lamp"
    assert created["price"] == 1999
    assert created["stock"] == 4
    assert "cost" not in created
    datetime.fromisoformat(created["created_at"])
    fetched = client.get(f"/products/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["name"] == "lamp"


def test_unknown_product_is_404(client: httpx.Client) -> None:
    created = _create(client, _category(), "x")
    response = client.get(f"/products/{created['id'] + 100000}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


def test_default_order_is_oldest_first_and_paged(client: httpx.Client) -> None:
    category = _shelf(client)
    page = _page(client, category, limit=2, offset=1)
    assert [item["name"] for item in page["items"]] == ["bravo", "delta"]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)


def test_page_bounds_are_422(client: httpx.Client) -> None:
    _create(client, _category(), "bounds")
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/products", params=params).status_code == 422, params


# Sorting.


def test_sort_ascending_by_price(client: httpx.Client) -> None:
    category = _shelf(client)
    assert _names(client, category, sort="price") == [
        "charlie",
        "bravo",
        "alpha",
        "echo",
        "delta",
    ]


def test_sort_descending_with_a_minus(client: httpx.Client) -> None:
    category = _shelf(client)
    assert _names(client, category, sort="-name") == [
        "echo",
        "delta",
        "charlie",
        "bravo",
        "alpha",
    ]


def test_later_keys_break_ties(client: httpx.Client) -> None:
    category = _shelf(client)
    assert _names(client, category, sort="-price,name") == [
        "delta",
        "echo",
        "alpha",
        "bravo",
        "charlie",
    ]
    assert _names(client, category, sort="stock,-price") == [
        "delta",
        "bravo",
        "echo",
        "alpha",
        "charlie",
    ]


def test_full_ties_fall_back_to_id(client: httpx.Client) -> None:
    category = _category()
    ids = [_create(client, category, "same", 10, 1)["id"] for _ in range(4)]
    cheap = _create(client, category, "cheap", 5, 9)["id"]
    for sort, expected in (
        ("price", [cheap, *ids]),
        ("-price", [*ids, cheap]),
        ("-stock,name", [cheap, *ids]),
        ("name,-price", [cheap, *ids]),
        ("stock", [*ids, cheap]),
    ):
        page = _page(client, category, sort=sort)
        assert [item["id"] for item in page["items"]] == expected, sort


def test_sort_by_created_at(client: httpx.Client) -> None:
    category = _shelf(client)
    assert _names(client, category, sort="-created_at") == [
        "alpha",
        "charlie",
        "delta",
        "bravo",
        "echo",
    ]
    assert _names(client, category, sort="created_at")[0] == "echo"


def test_sorting_happens_before_paging(client: httpx.Client) -> None:
    category = _shelf(client)
    first = _page(client, category, sort="-price,name", limit=2, offset=0)
    second = _page(client, category, sort="-price,name", limit=2, offset=2)
    last = _page(client, category, sort="-price,name", limit=2, offset=4)
    assert [item["name"] for item in first["items"]] == ["delta", "echo"]
    assert [item["name"] for item in second["items"]] == ["alpha", "bravo"]
    assert [item["name"] for item in last["items"]] == ["charlie"]
    assert first["total"] == second["total"] == 5


def test_sorting_keeps_the_category_filter(client: httpx.Client) -> None:
    category = _shelf(client)
    other = _category()
    _create(client, other, "aardvark", price=1)
    page = _page(client, category, sort="price,name")
    names = [item["name"] for item in page["items"]]
    assert names == ["charlie", "alpha", "bravo", "delta", "echo"]
    assert page["total"] == 5


@pytest.mark.parametrize(
    ("sort", "named"),
    [
        ("cost", "cost"),
        ("-cost", "cost"),
        ("price,cost", "cost"),
        ("id", "id"),
        ("category", "category"),
        ("popularity", "popularity"),
        ("name; drop table product", "drop table"),
    ],
)
def test_fields_outside_the_whitelist_are_422(
    client: httpx.Client, sort: str, named: str
) -> None:
    category = _shelf(client)
    response = client.get("/products", params={"category": category, "sort": sort})
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert named in detail


@pytest.mark.parametrize("sort", ["price,,name", "+price", "price,-price", "name,name"])
def test_malformed_sort_is_422(client: httpx.Client, sort: str) -> None:
    category = _shelf(client)
    response = client.get("/products", params={"category": category, "sort": sort})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], str)


def test_products_still_listed_after_a_rejected_sort(client: httpx.Client) -> None:
    category = _shelf(client)
    client.get("/products", params={"category": category, "sort": "cost"})
    assert _names(client, category, sort="stock") == [
        "bravo",
        "delta",
        "echo",
        "charlie",
        "alpha",
    ]
