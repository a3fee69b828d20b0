"""Rate limiting per API key: 5 accepted requests in any 3 s, 429 with Retry-After after."""

from __future__ import annotations

import time

import anyio
import httpx
from conftest import LIMIT, WINDOW, register


def _use_up(client: httpx.Client, key: dict[str, str]) -> None:
    for _ in range(LIMIT):
        response = client.get("/quotes", headers=key)
        assert response.status_code == 200, response.text


def _refused(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert isinstance(response.json()["detail"], str)
    retry_after = response.headers.get("Retry-After", "")
    assert retry_after.isdigit(), f"Retry-After is {retry_after!r}, not whole seconds"
    assert 1 <= int(retry_after) <= WINDOW
    return int(retry_after)


def test_accepted_responses_count_down_the_budget(
    client: httpx.Client, key: dict[str, str]
) -> None:
    remaining = []
    for _ in range(LIMIT):
        response = client.get("/quotes", headers=key)
        assert response.status_code == 200, response.text
        assert response.headers["X-RateLimit-Limit"] == str(LIMIT)
        remaining.append(response.headers["X-RateLimit-Remaining"])
    assert remaining == ["4", "3", "2", "1", "0"]


def test_request_over_the_budget_is_429_with_retry_after(
    client: httpx.Client, key: dict[str, str]
) -> None:
    _use_up(client, key)
    response = client.get("/quotes", headers=key)
    _refused(response)
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert response.headers["X-RateLimit-Limit"] == str(LIMIT)


def test_keys_are_limited_independently(
    client: httpx.Client, key: dict[str, str]
) -> None:
    _use_up(client, key)
    _refused(client.get("/quotes", headers=key))
    other = register(client)
    for _ in range(LIMIT):
        assert client.get("/quotes", headers=other).status_code == 200
    _refused(client.get("/quotes", headers=other))


def test_every_quotes_route_shares_one_budget(
    client: httpx.Client, key: dict[str, str]
) -> None:
    first = client.post("/quotes", json={"text": "t", "author": "a"}, headers=key)
    assert first.status_code == 201
    assert (
        client.post(
            "/quotes", json={"text": "u", "author": "a"}, headers=key
        ).status_code
        == 201
    )
    assert client.get(f"/quotes/{first.json()['id']}", headers=key).status_code == 200
    assert client.get("/quotes", headers=key).status_code == 200
    assert client.get("/quotes", params={"limit": 1}, headers=key).status_code == 200
    _refused(client.post("/quotes", json={"text": "v", "author": "a"}, headers=key))
    _refused(client.get(f"/quotes/{first.json()['id']}", headers=key))


def test_errors_with_a_valid_key_count(
    client: httpx.Client, key: dict[str, str]
) -> None:
    created = client.post(
        "/quotes", json={"text": "t", "author": "a"}, headers=key
    ).json()
    missing = created["id"] + 1_000_000
    for _ in range(2):
        assert client.get(f"/quotes/{missing}", headers=key).status_code == 404
    for _ in range(2):
        assert client.post("/quotes", json={"text": ""}, headers=key).status_code == 422
    _refused(client.get("/quotes", headers=key))


def test_requests_without_a_valid_key_count_for_nobody(
    client: httpx.Client, key: dict[str, str]
) -> None:
    for headers in ({}, {"X-API-Key": "not-a-key"}) * 4:
        assert client.get("/quotes", headers=headers).status_code == 401
    _use_up(client, key)
    _refused(client.get("/quotes", headers=key))


def test_registering_is_not_limited(client: httpx.Client, key: dict[str, str]) -> None:
    _use_up(client, key)
    _refused(client.get("/quotes", headers=key))
    for _ in range(LIMIT + 3):
        register(client)


def test_window_slides_and_refused_requests_do_not_count(
    client: httpx.Client, key: dict[str, str]
) -> None:
    _use_up(client, key)
    time.sleep(1)
    waits = [_refused(client.get("/quotes", headers=key)) for _ in range(LIMIT)]
    # The budget was used at t=0: it comes back about WINDOW s later, refusals or not.
    assert waits[-1] <= WINDOW - 1
    time.sleep(waits[-1] + 0.1)
    response = client.get("/quotes", headers=key)
    assert response.status_code == 200, "still refused after waiting Retry-After"


async def test_simultaneous_requests_get_exactly_the_budget(
    async_client: httpx.AsyncClient, client: httpx.Client
) -> None:
    key = register(client)
    statuses: list[int] = []

    async def call() -> None:
        statuses.append((await async_client.get("/quotes", headers=key)).status_code)

    async with anyio.create_task_group() as group:
        for _ in range(3 * LIMIT):
            group.start_soon(call)
    assert sorted(statuses) == [200] * LIMIT + [429] * (2 * LIMIT)
