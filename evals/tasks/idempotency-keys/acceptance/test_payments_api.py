"""Hidden acceptance tests for idempotency-keys: black-box over HTTP.

Every test uses its own account (a random X-Account-Id), so counts are scoped to it.
"""

import asyncio
import uuid
from typing import Any

import httpx
import pytest

BODY = {"amount_cents": 1250, "currency": "EUR", "description": "Coffee beans"}


def _account() -> dict[str, str]:
    return {"X-Account-Id": f"acct-{uuid.uuid4().hex[:12]}"}


def _key() -> str:
    return f"key-{uuid.uuid4().hex}"


def _total(client: httpx.Client, account: dict[str, str]) -> int:
    response = client.get("/payments", headers=account)
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


def _pay(
    client: httpx.Client, account: dict[str, str], key: str | None, body: Any = None
) -> httpx.Response:
    headers = dict(account)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        "/payments", json=BODY if body is None else body, headers=headers
    )


def test_create_returns_201_and_the_payment(client: httpx.Client) -> None:
    account = _account()
    response = _pay(client, account, _key())
    assert response.status_code == 201, response.text
    payment = response.json()
    assert isinstance(payment["id"], int)
    assert {k: payment[k] for k in BODY} == BODY
    assert payment["status"] == "captured"
    assert response.headers.get("idempotent-replayed") is None
    assert client.get(f"/payments/{payment['id']}", headers=account).json() == payment


def test_without_a_key_every_request_creates_a_payment(client: httpx.Client) -> None:
    account = _account()
    first = _pay(client, account, None)
    second = _pay(client, account, None)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert _total(client, account) == 2


def test_a_retry_with_the_same_key_replays_the_first_answer(
    client: httpx.Client,
) -> None:
    account, key = _account(), _key()
    first = _pay(client, account, key)
    retry = _pay(client, account, key)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert _total(client, account) == 1


def test_a_replay_returns_the_stored_answer_even_after_a_refund(
    client: httpx.Client,
) -> None:
    account, key = _account(), _key()
    first = _pay(client, account, key)
    refund = client.post(f"/payments/{first.json()['id']}/refund", headers=account)
    assert refund.status_code == 200
    assert refund.json()["status"] == "refunded"
    retry = _pay(client, account, key)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.json()["status"] == "captured"


def test_the_same_values_in_another_order_are_the_same_request(
    client: httpx.Client,
) -> None:
    account, key = _account(), _key()
    first = _pay(client, account, key)
    reordered = (
        '{ "description" : "Coffee beans", "currency":"EUR",  "amount_cents": 1250 }'
    )
    retry = client.post(
        "/payments",
        content=reordered,
        headers={**account, "Idempotency-Key": key, "Content-Type": "application/json"},
    )
    assert retry.status_code == 201, retry.text
    assert retry.json() == first.json()
    assert _total(client, account) == 1


@pytest.mark.parametrize(
    "change", [{"amount_cents": 1251}, {"currency": "USD"}, {"description": "Tea"}]
)
def test_the_same_key_with_another_body_is_422(
    client: httpx.Client, change: dict[str, Any]
) -> None:
    account, key = _account(), _key()
    _pay(client, account, key)
    response = _pay(client, account, key, {**BODY, **change})
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], str)
    assert _total(client, account) == 1


def test_keys_belong_to_an_account(client: httpx.Client) -> None:
    alice, bob, key = _account(), _account(), _key()
    first = _pay(client, alice, key)
    other = _pay(client, bob, key, {**BODY, "amount_cents": 99})
    assert other.status_code == 201, other.text
    assert other.headers.get("idempotent-replayed") is None
    assert other.json()["id"] != first.json()["id"]
    assert other.json()["amount_cents"] == 99
    assert _total(client, alice) == 1
    assert _total(client, bob) == 1


def test_a_failed_request_is_not_stored(client: httpx.Client) -> None:
    account, key = _account(), _key()
    bad = _pay(client, account, key, {**BODY, "amount_cents": 0})
    assert bad.status_code == 422
    fixed = _pay(client, account, key, {**BODY, "amount_cents": 10})
    assert fixed.status_code == 201, fixed.text
    assert fixed.headers.get("idempotent-replayed") is None
    assert fixed.json()["amount_cents"] == 10


@pytest.mark.parametrize("key", ["k" * 65, "has space", "semi;colon", ""])
def test_a_malformed_key_is_422_and_creates_nothing(
    client: httpx.Client, key: str
) -> None:
    account = _account()
    headers = {**account, "Idempotency-Key": key}
    response = client.post("/payments", json=BODY, headers=headers)
    assert response.status_code == 422
    assert _total(client, account) == 0


def test_a_64_character_key_is_accepted(client: httpx.Client) -> None:
    account = _account()
    assert _pay(client, account, "A-_9" * 16).status_code == 201


def test_requests_without_an_account_are_401(client: httpx.Client) -> None:
    response = client.post("/payments", json=BODY, headers={"Idempotency-Key": _key()})
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)
    assert client.get("/payments").status_code == 401


def test_another_accounts_payment_is_404(client: httpx.Client) -> None:
    alice, bob = _account(), _account()
    payment = _pay(client, alice, None).json()
    response = client.get(f"/payments/{payment['id']}", headers=bob)
    assert response.status_code == 404
    assert (
        client.post(f"/payments/{payment['id']}/refund", headers=bob).status_code == 404
    )
    assert client.get(f"/payments/{payment['id']}", headers=alice).status_code == 200


def test_refunding_twice_is_409(client: httpx.Client) -> None:
    account = _account()
    payment = _pay(client, account, None).json()
    path = f"/payments/{payment['id']}/refund"
    assert client.post(path, headers=account).status_code == 200
    second = client.post(path, headers=account)
    assert second.status_code == 409
    assert isinstance(second.json()["detail"], str)


def test_the_list_is_paginated_oldest_first(client: httpx.Client) -> None:
    account = _account()
    ids = [_pay(client, account, _key()).json()["id"] for _ in range(3)]
    page = client.get("/payments", params={"limit": 2, "offset": 1}, headers=account)
    assert page.status_code == 200
    assert page.json()["total"] == 3
    assert [item["id"] for item in page.json()["items"]] == ids[1:]
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert (
            client.get("/payments", params=params, headers=account).status_code == 422
        )


async def test_concurrent_retries_create_exactly_one_payment(
    async_client: httpx.AsyncClient,
) -> None:
    account, key = _account(), _key()
    headers = {**account, "Idempotency-Key": key}
    answers = await asyncio.gather(
        *(async_client.post("/payments", json=BODY, headers=headers) for _ in range(8))
    )
    codes = [answer.status_code for answer in answers]
    assert set(codes) <= {201, 409}, codes
    created = {answer.json()["id"] for answer in answers if answer.status_code == 201}
    assert len(created) == 1
    listed = await async_client.get("/payments", headers=account)
    assert listed.json()["total"] == 1
