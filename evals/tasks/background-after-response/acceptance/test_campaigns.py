"""What the campaigns service did before sending existed: it must keep working."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest


def _create(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"subject": f"s-{uuid.uuid4().hex[:8]}", "recipients": ["a@example.com"]}
    response = client.post("/campaigns", json={**body, **fields})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_returns_a_draft(client: httpx.Client) -> None:
    created = _create(
        client,
        subject="Winter sale",
        body="Everything must go",
        recipients=["Ann@Example.com", "bob@example.com", "ann@example.COM"],
    )
    assert isinstance(created["id"], int)
    assert created["subject"] == "Winter sale"
    assert created["body"] == "Everything must go"
    assert created["recipients"] == ["ann@example.com", "bob@example.com"]
    assert created["status"] == "draft"


def test_campaign_persists(client: httpx.Client) -> None:
    created = _create(client)
    fetched = client.get(f"/campaigns/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["subject"] == created["subject"]
    assert fetched.json()["status"] == "draft"


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": ""},
        {"recipients": []},
        {"recipients": ["not-an-address"]},
        {"recipients": [f"p{n}@example.com" for n in range(51)]},
    ],
    ids=["empty-subject", "no-recipients", "bad-address", "too-many"],
)
def test_invalid_campaign_is_422(client: httpx.Client, fields: dict[str, Any]) -> None:
    body = {"subject": "ok", "recipients": ["a@example.com"], **fields}
    response = client.post("/campaigns", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_unknown_campaign_is_404(client: httpx.Client) -> None:
    missing = _create(client)["id"] + 1_000_000
    response = client.get(f"/campaigns/{missing}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"campaign {missing} not found"}


def test_campaigns_are_listed_oldest_first(client: httpx.Client) -> None:
    mine = [_create(client)["id"] for _ in range(3)]
    total = client.get("/campaigns", params={"limit": 1}).json()["total"]
    page = client.get("/campaigns", params={"limit": 2, "offset": total - 3}).json()
    assert page["total"] == total
    assert [item["id"] for item in page["items"]] == mine[:2]
