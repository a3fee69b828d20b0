"""The new feature: stock on products, and orders that take it."""

from __future__ import annotations

from datetime import datetime

import anyio
import httpx
import pytest
from test_products import new_product, new_sku


def order(client: httpx.Client, *lines: tuple[int, int]) -> httpx.Response:
    return client.post(
        "/orders",
        json={"lines": [{"product_id": p, "quantity": q} for p, q in lines]},
    )


def stock(client: httpx.Client, product_id: int) -> int:
    return int(client.get(f"/products/{product_id}").json()["stock"])


def test_stock_defaults_to_zero(client: httpx.Client) -> None:
    body = new_product(client)
    assert body["stock"] == 0
    assert stock(client, body["id"]) == 0


def test_stock_is_set_and_patched(client: httpx.Client) -> None:
    body = new_product(client, name="Kettle", stock=7)
    assert body["stock"] == 7
    response = client.patch(f"/products/{body['id']}", json={"stock": 3})
    assert response.status_code == 200, response.text
    assert response.json()["stock"] == 3
    assert response.json()["name"] == "Kettle"
    assert stock(client, body["id"]) == 3
    listed = client.get("/products", params={"limit": 100, "offset": 0}).json()
    assert all("stock" in item for item in listed["items"])


def test_negative_stock_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/products",
        json={"name": "x", "sku": new_sku(), "price_cents": 100, "stock": -1},
    )
    assert response.status_code == 422
    body = new_product(client, stock=2)
    assert client.patch(f"/products/{body['id']}", json={"stock": -5}).status_code == 422
    assert stock(client, body["id"]) == 2


def test_order_returns_lines_and_total(client: httpx.Client) -> None:
    mug = new_product(client, price_cents=1200, stock=5)
    tea = new_product(client, price_cents=350, stock=10)
    response = order(client, (mug["id"], 2), (tea["id"], 3))
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["total_cents"] == 2 * 1200 + 3 * 350
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert body["lines"] == [
        {"product_id": mug["id"], "quantity": 2, "unit_price_cents": 1200,
         "line_total_cents": 2400},
        {"product_id": tea["id"], "quantity": 3, "unit_price_cents": 350,
         "line_total_cents": 1050},
    ]  # fmt: skip


def test_order_takes_stock(client: httpx.Client) -> None:
    mug = new_product(client, stock=5)
    assert order(client, (mug["id"], 5)).status_code == 201
    assert stock(client, mug["id"]) == 0


def test_order_persists(client: httpx.Client) -> None:
    mug = new_product(client, stock=5)
    body = order(client, (mug["id"], 1)).json()
    again = client.get(f"/orders/{body['id']}")
    assert again.status_code == 200
    assert again.json() == body


def test_insufficient_stock_is_409_and_changes_nothing(client: httpx.Client) -> None:
    mug = new_product(client, stock=5)
    tea = new_product(client, stock=1)
    before = client.get("/orders", params={"limit": 1}).json()["total"]
    response = order(client, (mug["id"], 2), (tea["id"], 2))
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert isinstance(response.json()["detail"], str)
    assert stock(client, mug["id"]) == 5
    assert stock(client, tea["id"]) == 1
    assert client.get("/orders", params={"limit": 1}).json()["total"] == before


def test_unknown_product_is_404_and_changes_nothing(client: httpx.Client) -> None:
    mug = new_product(client, stock=5)
    response = order(client, (mug["id"], 1), (99999999, 1))
    assert response.status_code == 404
    assert response.json()["code"] == "product_not_found"
    assert stock(client, mug["id"]) == 5


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"lines": []},
        {"lines": [{"product_id": "PRODUCT", "quantity": 0}]},
        {"lines": [{"product_id": "PRODUCT"}]},
        {"lines": [{"product_id": "PRODUCT", "quantity": 1},
                   {"product_id": "PRODUCT", "quantity": 2}]},
    ],
    ids=["no-lines", "empty-lines", "zero-quantity", "no-quantity", "repeated-product"],
)  # fmt: skip
def test_invalid_order_is_422(client: httpx.Client, payload: dict) -> None:
    product = new_product(client, stock=10)
    for line in payload.get("lines", []):
        line["product_id"] = product["id"]
    response = client.post("/orders", json=payload)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    assert stock(client, product["id"]) == 10


def test_unit_price_is_kept_at_order_time(client: httpx.Client) -> None:
    mug = new_product(client, price_cents=1000, stock=3)
    body = order(client, (mug["id"], 2)).json()
    client.patch(f"/products/{mug['id']}", json={"price_cents": 2000})
    again = client.get(f"/orders/{body['id']}").json()
    assert again["lines"][0]["unit_price_cents"] == 1000
    assert again["total_cents"] == 2000


def test_missing_order_is_404(client: httpx.Client) -> None:
    response = client.get("/orders/99999999")
    assert response.status_code == 404
    assert response.json()["code"] == "order_not_found"


def test_orders_are_listed_newest_first(client: httpx.Client) -> None:
    mug = new_product(client, stock=10)
    ids = [order(client, (mug["id"], 1)).json()["id"] for _ in range(3)]
    page = client.get("/orders", params={"limit": 2, "offset": 0}).json()
    assert page["limit"] == 2
    assert page["offset"] == 0
    assert page["total"] >= 3
    assert [item["id"] for item in page["items"]] == [ids[2], ids[1]]
    assert page["items"][0]["lines"][0]["product_id"] == mug["id"]
    second = client.get("/orders", params={"limit": 1, "offset": 2}).json()
    assert [item["id"] for item in second["items"]] == [ids[0]]
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/orders", params=params).status_code == 422


def test_ordered_product_cannot_be_deleted(client: httpx.Client) -> None:
    mug = new_product(client, stock=1)
    assert order(client, (mug["id"], 1)).status_code == 201
    response = client.delete(f"/products/{mug['id']}")
    assert response.status_code == 409
    assert response.json()["code"] == "product_in_orders"
    assert client.get(f"/products/{mug['id']}").status_code == 200


async def test_concurrent_orders_never_oversell(
    async_client: httpx.AsyncClient,
) -> None:
    created = await async_client.post(
        "/products",
        json={"name": "Rare", "sku": new_sku(), "price_cents": 100, "stock": 4},
    )
    product_id = created.json()["id"]
    statuses: list[int] = []

    async def buy() -> None:
        response = await async_client.post(
            "/orders", json={"lines": [{"product_id": product_id, "quantity": 1}]}
        )
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(buy)
    assert sorted(statuses) == [201] * 4 + [409] * 6
    left = await async_client.get(f"/products/{product_id}")
    assert left.json()["stock"] == 0
