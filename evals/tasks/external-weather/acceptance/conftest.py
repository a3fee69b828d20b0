"""Helpers shared by the weather tests: unique cities and scripting the fake provider."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest


def provider_body(
    city: str,
    *,
    country: str = "FR",
    temp_c: float = 11.5,
    humidity: int = 81,
    text: str = "Partly cloudy",
    last_updated: str = "2026-11-24T10:15:00+00:00",
) -> dict[str, Any]:
    """An answer of the provider for ``city``."""
    return {
        "location": {"name": city, "country": country},
        "current": {
            "temp_c": temp_c,
            "humidity": humidity,
            "condition": {"text": text},
            "last_updated": last_updated,
        },
    }


class Provider:
    """Scripts the fake weather provider and reads what it received."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def script(self, city: str, *responses: dict[str, Any]) -> None:
        reply = self.http.put(
            f"/_control/cities/{city}", json={"responses": list(responses)}
        )
        assert reply.status_code == 200, reply.text

    def ok(self, city: str, delay: float = 0.0, **fields: Any) -> None:
        self.script(city, {"status": 200, "body": provider_body(city, **fields), "delay": delay})

    def count(self, city: str) -> int:
        return int(self.http.get(f"/_control/cities/{city}/requests").json()["count"])

    def requests(self, city: str) -> list[dict[str, Any]]:
        return list(self.http.get(f"/_control/cities/{city}/requests").json()["requests"])


@pytest.fixture
def provider(services: dict[str, httpx.Client]) -> Provider:
    return Provider(services["weather"])


@pytest.fixture
def city() -> str:
    """A city name no other test uses (one app and one cache serve the whole session)."""
    return f"Town{uuid.uuid4().hex[:10]}"
