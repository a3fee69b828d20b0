"""The orders API itself."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest


def _create(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"customer": f"c-{uuid.uuid4().hex[:8]}", "total_cents": 500, **fields}
    response = client.post("/orders", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_returns_201_and_the_order(client: httpx.Client) -> None:
    order = _create(client, customer="Ann", total_cents=1250)
    assert isinstance(order["id"], int)
    assert order["customer"] == "Ann"
    assert order["total_cents"] == 1250
    assert datetime.fromisoformat(order["created_at"]).tzinfo is not None


def test_order_persists_and_unknown_is_404(client: httpx.Client) -> None:
    order = _create(client)
    fetched = client.get(f"/orders/{order['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == order
    missing = client.get(f"/orders/{order['id'] + 1_000_000}")
    assert missing.status_code == 404
    assert isinstance(missing.json()["detail"], str)


@pytest.mark.parametrize(
    "body",
    [
        {"total_cents": 1},
        {"customer": "", "total_cents": 1},
        {"customer": "a", "total_cents": -1},
    ],
    ids=["no-customer", "empty-customer", "negative-total"],
)
def test_invalid_order_is_422(client: httpx.Client, body: dict[str, Any]) -> None:
    response = client.post("/orders", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_orders_are_listed_oldest_first(client: httpx.Client) -> None:
    mine = [_create(client)["id"] for _ in range(3)]
    total = client.get("/orders", params={"limit": 1}).json()["total"]
    page = client.get("/orders", params={"limit": 2, "offset": total - 3}).json()
    assert page["total"] == total
    assert [item["id"] for item in page["items"]] == mine[:2]
    assert client.get("/orders", params={"limit": 0}).status_code == 422
