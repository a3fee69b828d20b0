"""What the quotes API did before rate limiting: it must keep working."""

from __future__ import annotations

import httpx
import pytest
from conftest import register


def test_register_returns_a_key(client: httpx.Client) -> None:
    response = client.post("/clients", json={"name": "Acme reader"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Acme reader"
    assert isinstance(body["id"], int)
    assert isinstance(body["api_key"], str)
    assert len(body["api_key"]) >= 16


def test_quote_persists(client: httpx.Client, key: dict[str, str]) -> None:
    created = client.post(
        "/quotes", json={"text": "Less is more.", "author": "Mies"}, headers=key
    )
    assert created.status_code == 201, created.text
    assert created.json()["text"] == "Less is more."
    fetched = client.get(f"/quotes/{created.json()['id']}", headers=key)
    assert fetched.status_code == 200
    assert fetched.json() == created.json()


def test_quotes_are_listed_oldest_first(
    client: httpx.Client, key: dict[str, str]
) -> None:
    mine = [
        client.post(
            "/quotes", json={"text": f"q{n}", "author": "a"}, headers=key
        ).json()["id"]
        for n in range(2)
    ]
    total = client.get("/quotes", params={"limit": 1}, headers=key).json()["total"]
    page = client.get(
        "/quotes", params={"limit": 1, "offset": total - 2}, headers=key
    ).json()
    assert page["total"] == total
    assert [item["id"] for item in page["items"]] == mine[:1]


def test_missing_or_unknown_key_is_401(client: httpx.Client) -> None:
    register(client)
    for headers in ({}, {"X-API-Key": "not-a-key"}):
        response = client.get("/quotes", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"detail": "missing or unknown API key"}


def test_unknown_quote_is_404(client: httpx.Client, key: dict[str, str]) -> None:
    created = client.post(
        "/quotes", json={"text": "t", "author": "a"}, headers=key
    ).json()
    response = client.get(f"/quotes/{created['id'] + 1_000_000}", headers=key)
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize(
    "body",
    [{"text": "", "author": "a"}, {"text": "t", "author": "a" * 101}],
    ids=["empty-text", "long-author"],
)
def test_invalid_quote_is_422(
    client: httpx.Client, key: dict[str, str], body: dict[str, str]
) -> None:
    response = client.post("/quotes", json=body, headers=key)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
