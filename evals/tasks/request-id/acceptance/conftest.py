"""Scripting the fake inventory: a delay, and the request ids it received."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest


class Inventory:
    """Controls the fake inventory service and reads its log."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def reset(self, delay: float = 0.0) -> None:
        assert self.http.put("/_control", json={"delay": delay}).status_code == 200

    def seen(self) -> dict[str, str | None]:
        log = self.http.get("/_control").json()["seen"]
        return {entry["sku"]: entry["request_id"] for entry in log}


@pytest.fixture
def inventory(services: dict[str, Any]) -> Iterator[Inventory]:
    fake = Inventory(services["inventory"])
    fake.reset()
    yield fake
    fake.reset()
