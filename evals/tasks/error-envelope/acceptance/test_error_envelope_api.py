"""Hidden acceptance tests for error-envelope: black-box over HTTP."""

import uuid
from datetime import datetime

import anyio
import httpx
import pytest


def _sku() -> str:
    return f"T-{uuid.uuid4().hex[:12].upper()}"


def _new(client: httpx.Client, **fields: object) -> dict[str, object]:
    payload = {"sku": _sku(), "name": "Widget", "price_cents": 250, "stock": 5}
    payload.update(fields)
    response = client.post("/products", json=payload)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    """Check the documented envelope and return its ``error`` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, object] = body["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str)
    assert error["message"].strip()
    return error


def _fields(error: dict[str, object]) -> set[str]:
    details = error["details"]
    assert isinstance(details, list), details
    for item in details:
        assert isinstance(item["field"], str)
        assert isinstance(item["message"], str)
        assert item["message"]
    return {item["field"] for item in details}


def test_create_returns_the_product(client: httpx.Client) -> None:
    sku = _sku()
    body = _new(client, sku=sku, name="Lamp", price_cents=1999, stock=7)
    assert body["sku"] == sku
    assert body["name"] == "Lamp"
    assert body["price_cents"] == 1999
    assert body["stock"] == 7
    assert isinstance(body["id"], int)
    assert datetime.fromisoformat(str(body["created_at"])).tzinfo is not None


def test_created_product_persists(client: httpx.Client) -> None:
    body = _new(client, name="Persisted")
    again = client.get(f"/products/{body['id']}")
    assert again.status_code == 200
    assert again.json()["name"] == "Persisted"
    assert again.json()["sku"] == body["sku"]


def test_list_is_paginated(client: httpx.Client) -> None:
    created = [_new(client)["id"] for _ in range(3)]
    first = client.get("/products", params={"limit": 2, "offset": 0}).json()
    assert len(first["items"]) == 2
    assert first["limit"] == 2
    assert first["offset"] == 0
    assert first["total"] >= 3
    last = client.get(
        "/products", params={"limit": 2, "offset": first["total"] - 1}
    ).json()
    assert [item["id"] for item in last["items"]] == [created[-1]]


def test_validation_error_names_the_field(client: httpx.Client) -> None:
    response = client.post(
        "/products",
        json={"sku": _sku(), "name": "Widget", "price_cents": -5, "stock": 1},
    )
    error = _error(response, 422, "validation_error")
    assert _fields(error) == {"body.price_cents"}


def test_validation_error_lists_every_missing_field(client: httpx.Client) -> None:
    response = client.post("/products", json={"price_cents": 100})
    error = _error(response, 422, "validation_error")
    assert {"body.sku", "body.name"} <= _fields(error)


def test_invalid_sku_is_rejected(client: httpx.Client) -> None:
    response = client.post(
        "/products", json={"sku": "bad sku!", "name": "Widget", "price_cents": 1}
    )
    error = _error(response, 422, "validation_error")
    assert _fields(error) == {"body.sku"}


def test_malformed_json_is_a_validation_error(client: httpx.Client) -> None:
    response = client.post(
        "/products",
        content=b'{"sku": "ABC", "name": ',
        headers={"content-type": "application/json"},
    )
    error = _error(response, 422, "validation_error")
    assert error["details"]


def test_query_parameters_are_validated(client: httpx.Client) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}):
        error = _error(client.get("/products", params=params), 422, "validation_error")
        assert _fields(error) == {f"query.{next(iter(params))}"}


def test_path_parameters_are_validated(client: httpx.Client) -> None:
    error = _error(client.get("/products/abc"), 422, "validation_error")
    assert _fields(error) == {"path.product_id"}


def test_missing_product_is_product_not_found(client: httpx.Client) -> None:
    error = _error(client.get("/products/987654321"), 404, "product_not_found")
    assert error["details"] is None


def test_unknown_route_is_not_found(client: httpx.Client) -> None:
    error = _error(client.get(f"/no-such-route/{uuid.uuid4()}"), 404, "not_found")
    assert error["details"] is None


def test_wrong_method_is_method_not_allowed(client: httpx.Client) -> None:
    _error(client.put("/products"), 405, "method_not_allowed")


def test_duplicate_sku_is_a_conflict(client: httpx.Client) -> None:
    sku = _sku()
    _new(client, sku=sku)
    response = client.post(
        "/products", json={"sku": sku, "name": "Again", "price_cents": 1}
    )
    _error(response, 409, "sku_taken")


def test_reservation_takes_stock_and_persists(client: httpx.Client) -> None:
    product = _new(client, stock=5)
    response = client.post(f"/products/{product['id']}/reserve", json={"quantity": 2})
    assert response.status_code == 200, response.text
    assert response.json()["stock"] == 3
    assert client.get(f"/products/{product['id']}").json()["stock"] == 3


def test_overbooking_is_insufficient_stock(client: httpx.Client) -> None:
    product = _new(client, stock=2)
    response = client.post(f"/products/{product['id']}/reserve", json={"quantity": 3})
    error = _error(response, 409, "insufficient_stock")
    assert error["details"] == {"requested": 3, "available": 2}
    assert client.get(f"/products/{product['id']}").json()["stock"] == 2


@pytest.mark.parametrize("quantity", [0, -1, "many"])
def test_reservation_quantity_is_validated(
    client: httpx.Client, quantity: object
) -> None:
    product = _new(client)
    response = client.post(
        f"/products/{product['id']}/reserve", json={"quantity": quantity}
    )
    error = _error(response, 422, "validation_error")
    assert _fields(error) == {"body.quantity"}


def test_reserving_a_missing_product_is_product_not_found(
    client: httpx.Client,
) -> None:
    response = client.post("/products/987654321/reserve", json={"quantity": 1})
    _error(response, 404, "product_not_found")


def test_delete_removes_the_product(client: httpx.Client) -> None:
    product = _new(client)
    deleted = client.delete(f"/products/{product['id']}")
    assert deleted.status_code == 204
    _error(client.get(f"/products/{product['id']}"), 404, "product_not_found")
    _error(client.delete(f"/products/{product['id']}"), 404, "product_not_found")


def test_unexpected_error_is_internal_error_without_internals(
    client: httpx.Client,
) -> None:
    # Servers may drop the connection after a crash: do not reuse it.
    response = client.get("/diagnostics/error", headers={"connection": "close"})
    error = _error(response, 500, "internal_error")
    assert error["details"] is None
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert client.get("/products", params={"limit": 1}).status_code == 200


async def test_concurrent_reservations_never_oversell(
    async_client: httpx.AsyncClient,
) -> None:
    created = await async_client.post(
        "/products", json={"sku": _sku(), "name": "Rare", "price_cents": 1, "stock": 3}
    )
    assert created.status_code == 201, created.text
    url = f"/products/{created.json()['id']}"
    statuses: list[int] = []

    async def reserve() -> None:
        response = await async_client.post(f"{url}/reserve", json={"quantity": 1})
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(reserve)
    assert sorted(statuses) == [200, 200, 200, 409, 409, 409]
    assert (await async_client.get(url)).json()["stock"] == 0


async def test_concurrent_duplicate_skus_create_one_product(
    async_client: httpx.AsyncClient,
) -> None:
    sku = _sku()
    statuses: list[int] = []

    async def create(number: int) -> None:
        response = await async_client.post(
            "/products", json={"sku": sku, "name": f"n{number}", "price_cents": 1}
        )
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for number in range(5):
            group.start_soon(create, number)
    assert sorted(statuses) == [201, 409, 409, 409, 409]
