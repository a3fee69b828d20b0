"""Each test registers its own partner: the budget is 5 requests per 3 s per key."""

from __future__ import annotations

import uuid

import httpx
import pytest

LIMIT = 5
WINDOW = 3


def register(client: httpx.Client) -> dict[str, str]:
    response = client.post("/clients", json={"name": f"partner-{uuid.uuid4().hex[:8]}"})
    assert response.status_code == 201, response.text
    return {"X-API-Key": response.json()["api_key"]}


@pytest.fixture
def key(client: httpx.Client) -> dict[str, str]:
    """Headers carrying a fresh API key."""
    return register(client)
