import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr

# The app module builds its app at import, from the environment: give it what it needs.
os.environ.setdefault("JWT_SIGNING_KEY", "test-key-" + "x" * 40)
os.environ.setdefault("ADMIN_PASSPHRASE", "admin-passphrase")

from app.config import Settings
from app.main import create_app

SIGNING_KEY = "k" * 40


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncClient]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
        jwt_signing_key=SecretStr(SIGNING_KEY),
        admin_username="root",
        admin_passphrase=SecretStr("root-passphrase"),
    )
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = ASGITransport(app=manager.app)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def token(
    client: AsyncClient, username: str, password: str, scope: str = ""
) -> str:
    response = await client.post(
        "/token", data={"username": username, "password": password, "scope": scope}
    )
    assert response.status_code == 200, response.text
    value: str = response.json()["access_token"]
    return value
