"""The catalogue as it already works: none of this may break."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx


def new_sku() -> str:
    return f"SKU-{uuid.uuid4().hex[:12].upper()}"


def new_product(client: httpx.Client, **fields: object) -> dict:
    payload = {"name": "Mug", "sku": new_sku(), "price_cents": 1250, **fields}
    response = client.post("/products", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_product_returns_it(client: httpx.Client) -> None:
    sku = new_sku()
    response = client.post(
        "/products", json={"name": "Teapot", "sku": sku, "price_cents": 3490}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["name"] == "Teapot"
    assert body["sku"] == sku
    assert body["price_cents"] == 3490
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


def test_product_persists(client: httpx.Client) -> None:
    body = new_product(client, name="Saucer")
    again = client.get(f"/products/{body['id']}")
    assert again.status_code == 200
    assert again.json()["name"] == "Saucer"
    assert again.json()["sku"] == body["sku"]


def test_invalid_sku_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/products", json={"name": "x", "sku": "lower case", "price_cents": 100}
    )
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_invalid_price_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/products", json={"name": "x", "sku": new_sku(), "price_cents": 0}
    )
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_empty_name_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/products", json={"name": "", "sku": new_sku(), "price_cents": 100}
    )
    assert response.status_code == 422


def test_duplicate_sku_is_409(client: httpx.Client) -> None:
    body = new_product(client)
    response = client.post(
        "/products", json={"name": "Copy", "sku": body["sku"], "price_cents": 1}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "sku_taken"
    assert isinstance(response.json()["detail"], str)


def test_missing_product_is_404(client: httpx.Client) -> None:
    response = client.get("/products/99999999")
    assert response.status_code == 404
    assert response.json()["code"] == "product_not_found"


def test_products_are_paginated_oldest_first(client: httpx.Client) -> None:
    skus = [new_product(client)["sku"] for _ in range(3)]
    total = client.get("/products", params={"limit": 1}).json()["total"]
    page = client.get("/products", params={"limit": 2, "offset": total - 3}).json()
    assert page["total"] == total
    assert page["limit"] == 2
    assert page["offset"] == total - 3
    assert [item["sku"] for item in page["items"]] == skus[:2]


def test_product_page_bounds_are_422(client: httpx.Client) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/products", params=params).status_code == 422


def test_patch_changes_only_the_sent_fields(client: httpx.Client) -> None:
    body = new_product(client, name="Old name", price_cents=900)
    response = client.patch(f"/products/{body['id']}", json={"price_cents": 990})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Old name"
    assert response.json()["price_cents"] == 990
    assert client.get(f"/products/{body['id']}").json()["price_cents"] == 990


def test_delete_removes_the_product(client: httpx.Client) -> None:
    body = new_product(client)
    assert client.delete(f"/products/{body['id']}").status_code == 204
    assert client.get(f"/products/{body['id']}").status_code == 404
    assert client.delete(f"/products/{body['id']}").status_code == 404
