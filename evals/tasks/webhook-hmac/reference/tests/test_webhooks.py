import json
import time

import pytest
from httpx import AsyncClient, Response

from app.webhooks.signature import sign
from tests.conftest import KEY

pytestmark = pytest.mark.anyio


def _event(event_id: str, kind: str = "payment.succeeded", amount: int = 500) -> bytes:
    data = {"payment_id": "pay_1", "amount": amount}
    return json.dumps({"id": event_id, "type": kind, "data": data}).encode()


async def _deliver(
    client: AsyncClient, body: bytes, *, key: bytes = KEY, skew: int = 0
) -> Response:
    timestamp = str(int(time.time()) + skew)
    headers = {
        "X-Timestamp": timestamp,
        "X-Signature": f"sha256={sign(key, timestamp, body)}",
        "Content-Type": "application/json",
    }
    return await client.post("/webhooks/payments", content=body, headers=headers)


async def test_signed_event_is_applied_once(client: AsyncClient) -> None:
    first = await _deliver(client, _event("evt_1"))
    assert first.json() == {"status": "processed"}
    again = await _deliver(client, _event("evt_1"))
    assert again.json() == {"status": "duplicate"}
    payment = (await client.get("/payments/pay_1")).json()
    assert (payment["status"], payment["amount"]) == ("succeeded", 500)


async def test_wrong_key_and_old_timestamp_are_401(client: AsyncClient) -> None:
    assert (await _deliver(client, _event("e2"), key=b"other")).status_code == 401
    assert (await _deliver(client, _event("e3"), skew=-301)).status_code == 401
    assert (await _deliver(client, _event("e4"), skew=301)).status_code == 401
    assert (await client.get("/webhooks/events/e3")).status_code == 404


async def test_unknown_type_is_recorded_not_applied(client: AsyncClient) -> None:
    body = json.dumps({"id": "e5", "type": "customer.created", "data": {}}).encode()
    assert (await _deliver(client, body)).json() == {"status": "ignored"}
    assert (await client.get("/webhooks/events/e5")).status_code == 200


async def test_invalid_payment_event_is_422(client: AsyncClient) -> None:
    body = json.dumps({"id": "e6", "type": "payment.failed", "data": {}}).encode()
    assert (await _deliver(client, body)).status_code == 422
