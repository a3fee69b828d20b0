"""Hidden acceptance tests for blocking-call-offload: black-box over HTTP.

The responsiveness tests start one slow derivation (about a second of CPU), send a quick
request while it runs, and check that the quick one is answered promptly: an event loop
blocked by the derivation answers it only when the derivation is over.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import anyio
import httpx
import pytest

SLOW = 2_000_000
HEAD_START = 0.2


def _expected(content: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac(
        "sha256", content.encode("utf-8"), salt.encode("utf-8"), iterations
    ).hex()


def _create(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"label": "doc", "content": "text", "salt": uuid.uuid4().hex, **fields}
    response = client.post("/digests", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _quick_first(
    async_client: httpx.AsyncClient,
    slow: Callable[[], Awaitable[httpx.Response]],
    quick: Callable[[], Awaitable[httpx.Response]],
) -> tuple[httpx.Response, httpx.Response, bool]:
    """Run ``slow``, then ``quick`` a moment later; was ``quick`` answered promptly?

    Promptly: in less than half the time the slow request still needed after ``quick``
    was sent. A blocked event loop answers ``quick`` only once the derivation is over.
    """
    moments: dict[str, float] = {}
    answers: dict[str, httpx.Response] = {}
    # Open two connections first, so neither request waits for a connection set-up.
    async with anyio.create_task_group() as warm_up:
        for _ in range(2):
            warm_up.start_soon(async_client.get, "/health")

    async def run(name: str, call: Callable[[], Awaitable[httpx.Response]]) -> None:
        moments[f"{name}-sent"] = time.monotonic()
        answers[name] = await call()
        moments[f"{name}-done"] = time.monotonic()

    async with anyio.create_task_group() as group:
        group.start_soon(run, "slow", slow)
        await anyio.sleep(HEAD_START)
        group.start_soon(run, "quick", quick)
    waited = moments["quick-done"] - moments["quick-sent"]
    remaining = moments["slow-done"] - moments["quick-sent"]
    return answers["slow"], answers["quick"], waited < remaining / 2


def test_create_returns_201_and_the_digest(client: httpx.Client) -> None:
    salt = uuid.uuid4().hex
    response = client.post(
        "/digests",
        json={
            "label": "Contract",
            "content": "héllo wörld",
            "salt": salt,
            "iterations": 1000,
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["label"] == "Contract"
    assert body["salt"] == salt
    assert body["iterations"] == 1000
    assert body["digest"] == _expected("héllo wörld", salt, 1000)
    assert "content" not in body
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


def test_iterations_default_to_600000(client: httpx.Client) -> None:
    created = _create(client, content="defaults")
    assert created["iterations"] == 600_000
    assert created["digest"] == _expected("defaults", created["salt"], 600_000)


def test_digest_persists(client: httpx.Client) -> None:
    created = _create(client, iterations=1000)
    fetched = client.get(f"/digests/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created


def test_unknown_digest_is_404(client: httpx.Client) -> None:
    created = _create(client, iterations=1000)
    missing = created["id"] + 1_000_000
    response = client.get(f"/digests/{missing}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)
    verify = client.post(f"/digests/{missing}/verify", json={"content": "text"})
    assert verify.status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"label": ""},
        {"content": ""},
        {"salt": "s" * 65},
        {"iterations": 999},
        {"iterations": 3_000_001},
    ],
    ids=["empty-label", "empty-content", "long-salt", "too-few-iterations", "too-many"],
)
def test_invalid_digest_is_422(client: httpx.Client, fields: dict[str, Any]) -> None:
    body = {
        "label": "doc",
        "content": "text",
        "salt": "s",
        "iterations": 1000,
        **fields,
    }
    response = client.post("/digests", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_list_is_paginated_oldest_first(client: httpx.Client) -> None:
    mine = [_create(client, label=f"page-{n}", iterations=1000)["id"] for n in range(3)]
    total = client.get("/digests", params={"limit": 1}).json()["total"]
    response = client.get("/digests", params={"limit": 2, "offset": total - 3})
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == total
    assert page["limit"] == 2
    assert page["offset"] == total - 3
    assert [item["id"] for item in page["items"]] == mine[:2]
    assert "content" not in page["items"][0]


def test_page_bounds_are_422(client: httpx.Client) -> None:
    _create(client, iterations=1000)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/digests", params=params).status_code == 422, params


def test_verify_matches_with_the_stored_salt_and_iterations(
    client: httpx.Client,
) -> None:
    created = _create(client, content="original", iterations=2500)
    url = f"/digests/{created['id']}/verify"
    same = client.post(url, json={"content": "original"})
    assert same.status_code == 200, same.text
    assert same.json() == {"id": created["id"], "match": True}
    other = client.post(url, json={"content": "originaL"})
    assert other.json() == {"id": created["id"], "match": False}


def test_verify_rejects_empty_content(client: httpx.Client) -> None:
    created = _create(client, iterations=1000)
    response = client.post(f"/digests/{created['id']}/verify", json={"content": ""})
    assert response.status_code == 422


async def test_health_is_answered_during_a_slow_digest(
    async_client: httpx.AsyncClient,
) -> None:
    slow, quick, quick_first = await _quick_first(
        async_client,
        lambda: async_client.post(
            "/digests",
            json={
                "label": "big",
                "content": "x" * 5000,
                "salt": "s",
                "iterations": SLOW,
            },
        ),
        lambda: async_client.get("/health"),
    )
    assert slow.status_code == 201, slow.text
    assert quick.status_code == 200
    assert quick.json() == {"status": "ok"}
    assert quick_first, "GET /health waited for the slow digest to finish"


async def test_reads_are_answered_during_a_slow_digest(
    async_client: httpx.AsyncClient, client: httpx.Client
) -> None:
    existing = _create(client, iterations=1000)
    slow, quick, quick_first = await _quick_first(
        async_client,
        lambda: async_client.post(
            "/digests",
            json={"label": "big", "content": "y", "salt": "s", "iterations": SLOW},
        ),
        lambda: async_client.get(f"/digests/{existing['id']}"),
    )
    assert slow.status_code == 201, slow.text
    assert quick.json() == existing
    assert quick_first, "GET /digests/{id} waited for the slow digest to finish"


async def test_quick_digest_is_not_queued_behind_a_slow_one(
    async_client: httpx.AsyncClient,
) -> None:
    slow, quick, quick_first = await _quick_first(
        async_client,
        lambda: async_client.post(
            "/digests",
            json={"label": "big", "content": "z", "salt": "s", "iterations": SLOW},
        ),
        lambda: async_client.post(
            "/digests",
            json={"label": "small", "content": "z", "salt": "s", "iterations": 1000},
        ),
    )
    assert slow.status_code == quick.status_code == 201
    assert quick.json()["digest"] == _expected("z", "s", 1000)
    assert quick_first, "a 1,000-iteration digest waited for a 2,000,000-iteration one"


async def test_health_is_answered_during_a_slow_verify(
    async_client: httpx.AsyncClient, client: httpx.Client
) -> None:
    stored = _create(client, content="long", iterations=SLOW)
    slow, quick, quick_first = await _quick_first(
        async_client,
        lambda: async_client.post(
            f"/digests/{stored['id']}/verify", json={"content": "long"}
        ),
        lambda: async_client.get("/health"),
    )
    assert slow.json() == {"id": stored["id"], "match": True}
    assert quick.status_code == 200
    assert quick_first, "GET /health waited for a slow verification to finish"
