from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.config import Settings
from app.main import create_app


class FakeProvider:
    """Scripted answers per city, and a count of the requests received."""

    def __init__(self) -> None:
        self.answers: dict[str, list[httpx.Response | Exception]] = {}
        self.calls: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        script = self.answers.get(request.url.params["q"].casefold(), [])
        if not script:
            return httpx.Response(404, json={"error": "unknown location"})
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def provider_body(city: str, temp_c: float = 10.0) -> dict[str, object]:
    return {
        "location": {"name": city, "country": "FR"},
        "current": {
            "temp_c": temp_c,
            "humidity": 50,
            "condition": {"text": "Cloudy"},
            "last_updated": "2026-11-24T10:00:00+00:00",
        },
    }


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
async def client(
    tmp_path: Path, provider: FakeProvider
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
        weather_api_url="http://provider.test",
        weather_account_id="acct",
    )
    app = create_app(settings, weather_transport=httpx.MockTransport(provider.handler))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test"
        ) as http:
            yield http
