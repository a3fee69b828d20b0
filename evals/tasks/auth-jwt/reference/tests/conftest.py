from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr

from app.config import Settings
from app.main import create_app

SECRET = "test-secret-" + "x" * 40

Login = Callable[[str], Awaitable[dict[str, str]]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
        jwt_secret=SecretStr(SECRET),
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncClient]:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = ASGITransport(app=manager.app)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


@pytest.fixture
def login(client: AsyncClient) -> Login:
    """Register an account and return its Authorization header."""

    async def register_and_login(email: str) -> dict[str, str]:
        words = "correct horse battery"
        registered = await client.post(
            "/auth/register", json={"email": email, "password": words}
        )
        assert registered.status_code == 201
        token = await client.post(
            "/auth/token", data={"username": email, "password": words}
        )
        assert token.status_code == 200
        return {"Authorization": f"Bearer {token.json()['access_token']}"}

    return register_and_login
