import asyncio

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio

ME = {"X-Account-Id": "acct-1"}
BODY = {"amount_cents": 1250, "currency": "EUR", "description": "beans"}


async def test_a_retry_replays_the_stored_answer(client: AsyncClient) -> None:
    headers = {**ME, "Idempotency-Key": "k1"}
    first = await client.post("/payments", json=BODY, headers=headers)
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    await client.post(f"/payments/{first.json()['id']}/refund", headers=ME)
    again = await client.post("/payments", json=BODY, headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert (await client.get("/payments", headers=ME)).json()["total"] == 1


async def test_a_key_with_another_body_is_422(client: AsyncClient) -> None:
    headers = {**ME, "Idempotency-Key": "k2"}
    await client.post("/payments", json=BODY, headers=headers)
    other = await client.post(
        "/payments", json={**BODY, "amount_cents": 1}, headers=headers
    )
    assert other.status_code == 422
    assert isinstance(other.json()["detail"], str)


async def test_concurrent_retries_create_one_payment(client: AsyncClient) -> None:
    headers = {**ME, "Idempotency-Key": "k3"}
    answers = await asyncio.gather(
        *(client.post("/payments", json=BODY, headers=headers) for _ in range(4))
    )
    assert {answer.status_code for answer in answers} <= {201, 409}
    assert (await client.get("/payments", headers=ME)).json()["total"] == 1


async def test_accounts_are_apart(client: AsyncClient) -> None:
    created = await client.post("/payments", json=BODY, headers=ME)
    path = f"/payments/{created.json()['id']}"
    assert (await client.get(path, headers={"X-Account-Id": "b"})).status_code == 404
    assert (await client.get(path)).status_code == 401
