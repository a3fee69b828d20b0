"""Scripting the fake pricing service; every test uses SKUs of its own."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest


class Pricing:
    """Scripts the fake pricing service and reads its call log."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def script(self, sku: str, **script: Any) -> None:
        response = self.http.put(f"/_control/skus/{sku}", json=script)
        assert response.status_code == 200, response.text

    def calls(self, sku: str) -> int:
        return int(self.http.get(f"/_control/skus/{sku}/calls").json()["count"])


@pytest.fixture
def pricing(services: dict[str, httpx.Client]) -> Pricing:
    return Pricing(services["pricing"])


@pytest.fixture
def sku() -> str:
    """An upper-case SKU no other test uses (one cache serves the whole session)."""
    return f"SKU-{uuid.uuid4().hex[:10].upper()}"
