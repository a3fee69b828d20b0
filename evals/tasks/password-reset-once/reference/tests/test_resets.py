from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import anyio
import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from app.config import Settings
from app.main import create_app

pytestmark = pytest.mark.anyio

EMAIL = "ann@example.com"


async def _sign_up(client: AsyncClient) -> None:
    response = await client.post(
        "/users", json={"email": EMAIL, "password": "old password"}
    )
    assert response.status_code == 201


async def _token(client: AsyncClient) -> str:
    assert (
        await client.post("/password-resets", json={"email": EMAIL})
    ).status_code == 202
    link = (await client.get("/outbox", params={"to": EMAIL})).json()["items"][0][
        "link"
    ]
    token: str = parse_qs(urlsplit(link).query)["token"][0]
    return token


async def _login(client: AsyncClient, password: str) -> int:
    response = await client.post(
        "/auth/login", json={"email": EMAIL, "password": password}
    )
    return response.status_code


async def test_reset_works_once(client: AsyncClient) -> None:
    await _sign_up(client)
    token = await _token(client)
    body = {"token": token, "new_password": "new password"}
    assert (await client.post("/password-resets/confirm", json=body)).status_code == 204
    assert await _login(client, "new password") == 200
    assert await _login(client, "old password") == 401
    again = await client.post("/password-resets/confirm", json=body)
    assert again.status_code == 400


async def test_newer_link_replaces_older(client: AsyncClient) -> None:
    await _sign_up(client)
    first = await _token(client)
    second = await _token(client)
    old = {"token": first, "new_password": "new password"}
    assert (await client.post("/password-resets/confirm", json=old)).status_code == 400
    new = {"token": second, "new_password": "new password"}
    assert (await client.post("/password-resets/confirm", json=new)).status_code == 204


async def test_unknown_address_gets_the_same_answer(client: AsyncClient) -> None:
    await _sign_up(client)
    known = await client.post("/password-resets", json={"email": EMAIL})
    unknown = await client.post("/password-resets", json={"email": "no@example.com"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())


async def test_expired_link_is_rejected(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'expired.db'}",
        outbox_api_enabled=True,
        reset_link_ttl_seconds=1,
    )
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = ASGITransport(app=manager.app)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            await _sign_up(client)
            token = await _token(client)
            await anyio.sleep(1.1)
            body = {"token": token, "new_password": "new password"}
            response = await client.post("/password-resets/confirm", json=body)
            assert response.status_code == 400
