import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr

TOKEN = "test-admin-token"  # noqa: S105 - a throwaway token for tests
# The app module builds the app at import, from the environment: give it its one secret.
os.environ.setdefault("ADMIN_KEY", TOKEN)

from app.config import Settings  # noqa: E402
from app.main import create_app  # noqa: E402


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
        public_base_url="https://sho.rt/",  # type: ignore[arg-type]
        code_length=5,
        allowed_domains=["example.com"],
        admin_key=SecretStr(TOKEN),
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncClient]:
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = ASGITransport(app=manager.app)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            yield http
