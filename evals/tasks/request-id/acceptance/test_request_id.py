"""Hidden acceptance tests for request-id: black-box over HTTP."""

import asyncio
import uuid

import httpx
import pytest
from conftest import Inventory


def _rid() -> str:
    return f"req-{uuid.uuid4().hex[:16]}"


def _is_generated(value: str) -> bool:
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == value


def _order(client: httpx.Client, rid: str | None = None) -> httpx.Response:
    headers = {"X-Request-ID": rid} if rid is not None else {}
    return client.post("/orders", json={"sku": "MUG-1", "quantity": 2}, headers=headers)


def test_a_well_formed_id_is_echoed(client: httpx.Client) -> None:
    rid = _rid()
    response = _order(client, rid)
    assert response.status_code == 201, response.text
    assert response.headers["x-request-id"] == rid


def test_an_id_is_generated_when_missing(client: httpx.Client) -> None:
    first, second = _order(client), _order(client)
    assert first.status_code == 201
    generated = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(_is_generated(value) for value in generated), generated
    assert generated[0] != generated[1]


@pytest.mark.parametrize(
    "bad", ["has space", "x" * 65, "<script>", "semi;colon", "", "slash/inside"]
)
def test_a_malformed_id_is_replaced(client: httpx.Client, bad: str) -> None:
    response = _order(client, bad)
    assert response.status_code == 201
    assert _is_generated(response.headers["x-request-id"])
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_the_longest_allowed_id_is_kept(client: httpx.Client) -> None:
    rid = "A._-9" * 12 + "abcd"
    assert _order(client, rid).headers["x-request-id"] == rid


def test_an_order_remembers_the_request_that_created_it(client: httpx.Client) -> None:
    rid = _rid()
    order = _order(client, rid).json()
    assert order["request_id"] == rid
    assert order["sku"] == "MUG-1"
    assert order["quantity"] == 2
    later = client.get(f"/orders/{order['id']}", headers={"X-Request-ID": _rid()})
    assert later.status_code == 200
    assert later.json() == order


def test_a_404_carries_the_id_in_header_and_body(client: httpx.Client) -> None:
    rid = _rid()
    order = _order(client).json()
    response = client.get(
        f"/orders/{order['id'] + 1_000_000}", headers={"X-Request-ID": rid}
    )
    assert response.status_code == 404
    assert response.headers["x-request-id"] == rid
    body = response.json()
    assert body["request_id"] == rid
    assert isinstance(body["detail"], str)


def test_an_unknown_route_carries_the_id(client: httpx.Client) -> None:
    _order(client)
    rid = _rid()
    response = client.get("/no/such/route", headers={"X-Request-ID": rid})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == rid
    assert response.json()["request_id"] == rid


def test_a_validation_error_carries_the_id(client: httpx.Client) -> None:
    rid = _rid()
    response = client.post(
        "/orders", json={"sku": "MUG-1", "quantity": 0}, headers={"X-Request-ID": rid}
    )
    assert response.status_code == 422
    assert response.headers["x-request-id"] == rid
    body = response.json()
    assert body["request_id"] == rid
    assert any(item["loc"] == ["body", "quantity"] for item in body["detail"])


def test_a_crash_is_a_generic_500_with_the_id(client: httpx.Client) -> None:
    rid = _rid()
    response = client.get("/debug/crash", headers={"X-Request-ID": rid})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == rid
    assert response.json() == {"detail": "Internal Server Error", "request_id": rid}
    assert "hunter2" not in response.text


def test_a_crash_without_an_id_gets_a_generated_one(client: httpx.Client) -> None:
    response = client.get("/debug/crash")
    assert response.status_code == 500
    generated = response.headers["x-request-id"]
    assert _is_generated(generated)
    assert response.json()["request_id"] == generated


def test_the_id_reaches_the_inventory(
    client: httpx.Client, inventory: Inventory
) -> None:
    rid, sku = _rid(), f"MUG-{uuid.uuid4().hex[:6]}"
    response = client.get(f"/items/{sku}/stock", headers={"X-Request-ID": rid})
    assert response.status_code == 200, response.text
    assert response.json() == {"sku": sku, "stock": 7}
    assert response.headers["x-request-id"] == rid
    assert inventory.seen() == {sku: rid}


def test_a_generated_id_reaches_the_inventory(
    client: httpx.Client, inventory: Inventory
) -> None:
    sku = f"CUP-{uuid.uuid4().hex[:6]}"
    response = client.get(f"/items/{sku}/stock")
    assert response.status_code == 200
    generated = response.headers["x-request-id"]
    assert _is_generated(generated)
    assert inventory.seen() == {sku: generated}


def test_an_unknown_sku_is_404_with_the_id(
    client: httpx.Client, inventory: Inventory
) -> None:
    rid = _rid()
    response = client.get("/items/missing-1/stock", headers={"X-Request-ID": rid})
    assert response.status_code == 404
    assert response.json()["request_id"] == rid
    assert inventory.seen() == {"missing-1": rid}


async def test_concurrent_requests_keep_their_own_ids(
    async_client: httpx.AsyncClient, inventory: Inventory
) -> None:
    inventory.reset(delay=0.3)
    sent = {f"SKU-{uuid.uuid4().hex[:6]}": _rid() for _ in range(8)}
    responses = await asyncio.gather(
        *(
            async_client.get(f"/items/{sku}/stock", headers={"X-Request-ID": rid})
            for sku, rid in sent.items()
        )
    )
    for (sku, rid), response in zip(sent.items(), responses, strict=True):
        assert response.status_code == 200, response.text
        assert response.json()["sku"] == sku
        assert response.headers["x-request-id"] == rid
    assert inventory.seen() == sent
