"""Hidden acceptance tests for webhook-hmac: black-box over HTTP.

The app runs with ``WEBHOOK_SIGNING_KEY=whk-2c41f0d9a8b7e6c5d4f3`` and a 300 s window.
Every test uses event and payment ids of its own.
"""

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

KEY = b"whk-2c41f0d9a8b7e6c5d4f3"
WINDOW = 300


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def _sign(timestamp: str, body: bytes, key: bytes = KEY) -> str:
    return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _body(event_id: str, kind: str, payment_id: str = "", amount: int = 1250) -> bytes:
    data: dict[str, Any] = {"payment_id": payment_id, "amount": amount}
    return json.dumps({"id": event_id, "type": kind, "data": data}).encode()


def _headers(
    body: bytes, *, skew: int = 0, key: bytes = KEY, signature: str | None = None
) -> dict[str, str]:
    timestamp = str(int(time.time()) + skew)
    return {
        "X-Timestamp": timestamp,
        "X-Signature": signature or f"sha256={_sign(timestamp, body, key)}",
        "Content-Type": "application/json",
    }


def _deliver(client: httpx.Client, body: bytes, **options: Any) -> httpx.Response:
    return client.post(
        "/webhooks/payments", content=body, headers=_headers(body, **options)
    )


def _payment(client: httpx.Client, payment_id: str) -> dict[str, Any]:
    response = client.get(f"/payments/{payment_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _recorded(client: httpx.Client, event_id: str) -> bool:
    status = client.get(f"/webhooks/events/{event_id}").status_code
    assert status in {200, 404}, status
    return status == 200


def test_signed_payment_event_is_processed(client: httpx.Client) -> None:
    event_id, payment_id = _id("evt"), _id("pay")
    response = _deliver(client, _body(event_id, "payment.succeeded", payment_id, 4200))
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "processed"}
    payment = _payment(client, payment_id)
    assert payment["payment_id"] == payment_id
    assert (payment["status"], payment["amount"]) == ("succeeded", 4200)
    assert datetime.fromisoformat(payment["updated_at"]).tzinfo is not None
    event = client.get(f"/webhooks/events/{event_id}")
    assert event.status_code == 200
    assert event.json()["id"] == event_id
    assert event.json()["type"] == "payment.succeeded"
    assert datetime.fromisoformat(event.json()["received_at"]).tzinfo is not None


def test_later_events_update_the_payment(client: httpx.Client) -> None:
    payment_id = _id("pay")
    for kind, status in (
        ("payment.failed", "failed"),
        ("payment.succeeded", "succeeded"),
        ("payment.refunded", "refunded"),
    ):
        response = _deliver(client, _body(_id("evt"), kind, payment_id, 999))
        assert response.json() == {"status": "processed"}, kind
        assert _payment(client, payment_id)["status"] == status


def test_signature_covers_the_raw_bytes(client: httpx.Client) -> None:
    event_id, payment_id = _id("evt"), _id("pay")
    body = (
        b'{\n  "type" :"payment.succeeded",   "data": {"amount": 77,\n'
        b'"payment_id": "'
        + payment_id.encode()
        + b'"},\t"id": "'
        + event_id.encode()
        + b'"}\n'
    )
    response = _deliver(client, body)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "processed"}
    assert _payment(client, payment_id)["amount"] == 77


def test_any_of_several_signatures_may_match(client: httpx.Client) -> None:
    event_id, payment_id = _id("evt"), _id("pay")
    body = _body(event_id, "payment.succeeded", payment_id)
    timestamp = str(int(time.time()))
    old = f"sha256={_sign(timestamp, body, b'retired-key')}"
    new = f"sha256={_sign(timestamp, body)}"
    headers = {"X-Timestamp": timestamp, "X-Signature": f"{old}, {new}"}
    response = client.post("/webhooks/payments", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert _payment(client, payment_id)["status"] == "succeeded"


@pytest.mark.parametrize(
    "tamper",
    [
        "wrong-key",
        "body-changed",
        "no-signature",
        "no-timestamp",
        "bad-scheme",
        "garbage",
    ],
)
def test_unsigned_or_badly_signed_requests_are_401(
    client: httpx.Client, tamper: str
) -> None:
    event_id, payment_id = _id("evt"), _id("pay")
    body = _body(event_id, "payment.succeeded", payment_id)
    headers = _headers(body)
    if tamper == "wrong-key":
        headers = _headers(body, key=b"not-the-key")
    elif tamper == "body-changed":
        body = body.replace(b"1250", b"9999")
    elif tamper == "no-signature":
        del headers["X-Signature"]
    elif tamper == "no-timestamp":
        del headers["X-Timestamp"]
    elif tamper == "bad-scheme":
        headers["X-Signature"] = headers["X-Signature"].replace("sha256=", "md5=")
    else:
        headers["X-Signature"] = "sha256=" + "0" * 64
    response = client.post("/webhooks/payments", content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert isinstance(response.json()["detail"], str)
    assert not _recorded(client, event_id)
    assert client.get(f"/payments/{payment_id}").status_code == 404


def test_signature_of_another_timestamp_is_401(client: httpx.Client) -> None:
    event_id = _id("evt")
    body = _body(event_id, "payment.succeeded", _id("pay"))
    headers = _headers(body)
    headers["X-Timestamp"] = str(int(headers["X-Timestamp"]) - 10)
    response = client.post("/webhooks/payments", content=body, headers=headers)
    assert response.status_code == 401
    assert not _recorded(client, event_id)


@pytest.mark.parametrize(
    "skew", [-WINDOW - 60, WINDOW + 60, -86_400], ids=["past", "future", "day-old"]
)
def test_requests_outside_the_window_are_401(client: httpx.Client, skew: int) -> None:
    event_id = _id("evt")
    response = _deliver(
        client, _body(event_id, "payment.succeeded", _id("pay")), skew=skew
    )
    assert response.status_code == 401, response.text
    assert not _recorded(client, event_id)


def test_requests_inside_the_window_are_accepted(client: httpx.Client) -> None:
    for skew in (-WINDOW + 30, WINDOW - 30):
        response = _deliver(
            client, _body(_id("evt"), "payment.failed", _id("pay")), skew=skew
        )
        assert response.status_code == 200, (skew, response.text)


def test_non_integer_timestamp_is_401(client: httpx.Client) -> None:
    event_id = _id("evt")
    body = _body(event_id, "payment.succeeded", _id("pay"))
    timestamp = f"{time.time():.3f}"
    headers = {
        "X-Timestamp": timestamp,
        "X-Signature": f"sha256={_sign(timestamp, body)}",
    }
    response = client.post("/webhooks/payments", content=body, headers=headers)
    assert response.status_code == 401
    assert not _recorded(client, event_id)


def test_redelivery_is_a_duplicate_and_changes_nothing(client: httpx.Client) -> None:
    payment_id = _id("pay")
    paid = _body(_id("evt"), "payment.succeeded", payment_id, 500)
    assert _deliver(client, paid).json() == {"status": "processed"}
    refund = _body(_id("evt"), "payment.refunded", payment_id, 500)
    assert _deliver(client, refund).json() == {"status": "processed"}
    again = _deliver(client, paid)
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    assert _payment(client, payment_id)["status"] == "refunded"


async def test_concurrent_deliveries_are_processed_once(
    async_client: httpx.AsyncClient,
) -> None:
    event_id, payment_id = _id("evt"), _id("pay")
    body = _body(event_id, "payment.succeeded", payment_id, 300)
    responses = await asyncio.gather(
        *(
            async_client.post(
                "/webhooks/payments", content=body, headers=_headers(body)
            )
            for _ in range(6)
        )
    )
    assert [response.status_code for response in responses] == [200] * 6, [
        response.text for response in responses
    ]
    outcomes = sorted(response.json()["status"] for response in responses)
    assert outcomes == ["duplicate"] * 5 + ["processed"]


def test_other_event_types_are_recorded_but_ignored(client: httpx.Client) -> None:
    event_id = _id("evt")
    body = json.dumps(
        {"id": event_id, "type": "customer.created", "data": {"x": 1}}
    ).encode()
    response = _deliver(client, body)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ignored"}
    assert _recorded(client, event_id)
    assert _deliver(client, body).json() == {"status": "duplicate"}


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "payment.succeeded", "data": {"payment_id": "p", "amount": 1}},
        {"id": "{id}", "type": "payment.succeeded", "data": {"amount": 1}},
        {
            "id": "{id}",
            "type": "payment.failed",
            "data": {"payment_id": "p", "amount": -1},
        },
        {
            "id": "{id}",
            "type": "payment.refunded",
            "data": {"payment_id": "p", "amount": "x"},
        },
    ],
    ids=["no-id", "no-payment-id", "negative-amount", "amount-not-int"],
)
def test_signed_but_invalid_events_are_422(
    client: httpx.Client, payload: dict[str, Any]
) -> None:
    event_id = _id("evt")
    text = json.dumps(payload).replace("{id}", event_id)
    response = _deliver(client, text.encode())
    assert response.status_code == 422, response.text
    assert not _recorded(client, event_id)


def test_unknown_ids_are_404(client: httpx.Client) -> None:
    event_id, payment_id = _id("evt"), _id("pay")
    assert (
        _deliver(client, _body(event_id, "payment.failed", payment_id)).status_code
        == 200
    )
    assert client.get(f"/webhooks/events/{event_id}").status_code == 200
    assert client.get(f"/payments/{payment_id}").status_code == 200
    for path in (f"/webhooks/events/{_id('evt')}", f"/payments/{_id('pay')}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert isinstance(response.json()["detail"], str)
