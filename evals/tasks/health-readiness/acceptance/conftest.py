"""Scripting the fake carrier: every test starts from a healthy carrier and leaves one."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest


class Carrier:
    """Sets how the fake carrier's status endpoint answers, and counts its calls."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def answer(self, status: int = 200, delay: float = 0.0) -> None:
        reply = self.http.put("/_control", json={"status": status, "delay": delay})
        assert reply.status_code == 200, reply.text

    def calls(self) -> int:
        count: int = self.http.get("/_control").json()["calls"]
        return count


@pytest.fixture
def carrier(services: dict[str, Any]) -> Iterator[Carrier]:
    fake = Carrier(services["carrier"])
    fake.answer()
    yield fake
    fake.answer()
