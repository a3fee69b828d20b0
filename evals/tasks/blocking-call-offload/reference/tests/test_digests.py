import hashlib
import time

import anyio
import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


def _expected(content: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac(
        "sha256", content.encode(), salt.encode(), iterations
    ).hex()


async def test_create_then_get(client: AsyncClient) -> None:
    body = {"label": "a", "content": "hello", "salt": "s", "iterations": 1000}
    created = await client.post("/digests", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["digest"] == _expected("hello", "s", 1000)
    assert "content" not in created.json()
    fetched = await client.get(f"/digests/{created.json()['id']}")
    assert fetched.json() == created.json()


async def test_verify(client: AsyncClient) -> None:
    body = {"label": "a", "content": "hello", "salt": "s", "iterations": 2000}
    digest_id = (await client.post("/digests", json=body)).json()["id"]
    good = await client.post(f"/digests/{digest_id}/verify", json={"content": "hello"})
    bad = await client.post(f"/digests/{digest_id}/verify", json={"content": "other"})
    assert good.json() == {"id": digest_id, "match": True}
    assert bad.json() == {"id": digest_id, "match": False}


async def test_missing_digest_is_404(client: AsyncClient) -> None:
    assert (await client.get("/digests/99")).status_code == 404
    verify = await client.post("/digests/99/verify", json={"content": "x"})
    assert verify.status_code == 404


async def test_iterations_bounds(client: AsyncClient) -> None:
    body = {"label": "a", "content": "x", "salt": "s", "iterations": 999}
    assert (await client.post("/digests", json=body)).status_code == 422


async def test_health_answers_during_a_slow_digest(client: AsyncClient) -> None:
    finished: dict[str, float] = {}

    async def slow() -> None:
        body = {"label": "s", "content": "x", "salt": "s", "iterations": 1_500_000}
        assert (await client.post("/digests", json=body)).status_code == 201
        finished["slow"] = time.monotonic()

    async with anyio.create_task_group() as group:
        group.start_soon(slow)
        await anyio.sleep(0.1)
        assert (await client.get("/health")).status_code == 200
        finished["health"] = time.monotonic()
    assert finished["health"] < finished["slow"]
