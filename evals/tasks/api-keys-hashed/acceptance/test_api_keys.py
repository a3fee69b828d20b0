"""Hidden acceptance tests for api-keys-hashed: black-box over HTTP.

The app runs with ``ADMIN_KEY=adm-7f3c9a1e5b2d4c6f8a0b``.
"""

import re
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

ADMIN = {"X-Admin-Key": "adm-7f3c9a1e5b2d4c6f8a0b"}
KEY_SHAPE = re.compile(r"^ak_[A-Za-z0-9_-]{32,}$")


def _issue(client: httpx.Client, scopes: list[str], name: str = "") -> dict[str, Any]:
    response = client.post(
        "/keys",
        json={"name": name or f"partner {uuid.uuid4().hex[:6]}", "scopes": scopes},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _as(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_create_returns_the_key_once_with_its_metadata(client: httpx.Client) -> None:
    created = _issue(client, ["write", "read"], name="Acme GmbH")
    assert isinstance(created["id"], int)
    assert created["name"] == "Acme GmbH"
    assert created["scopes"] == ["read", "write"]
    assert KEY_SHAPE.match(created["key"]), created["key"]
    assert created["prefix"] == created["key"][:12]
    assert datetime.fromisoformat(created["created_at"]).tzinfo is not None
    assert created["last_used_at"] is None
    assert created["revoked_at"] is None


def test_every_key_is_different(client: httpx.Client) -> None:
    keys = [_issue(client, ["read"])["key"] for _ in range(5)]
    assert len(set(keys)) == 5
    assert len({key[:12] for key in keys}) == 5


def test_the_key_is_never_shown_again(client: httpx.Client) -> None:
    created = _issue(client, ["read"])
    key = created["key"]
    secret_part = key[12:]
    one = client.get(f"/keys/{created['id']}", headers=ADMIN)
    assert one.status_code == 200
    assert "key" not in one.json()
    assert one.json()["prefix"] == key[:12]
    listing = client.get("/keys", params={"limit": 100}, headers=ADMIN)
    total = listing.json()["total"]
    last = client.get(
        "/keys", params={"limit": 100, "offset": max(total - 100, 0)}, headers=ADMIN
    )
    for response in (one, listing, last):
        assert secret_part not in response.text
        assert key not in response.text
    assert created["id"] in [item["id"] for item in last.json()["items"]]
    assert all("key" not in item for item in last.json()["items"])


def test_metadata_has_no_hash_or_secret_fields(client: httpx.Client) -> None:
    created = _issue(client, ["read"])
    body = client.get(f"/keys/{created['id']}", headers=ADMIN).json()
    assert set(body) == {
        "id",
        "name",
        "scopes",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    }


def test_whoami_identifies_the_key(client: httpx.Client) -> None:
    created = _issue(client, ["read"], name="Globex")
    response = client.get("/whoami", headers=_as(created["key"]))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": created["id"],
        "name": "Globex",
        "scopes": ["read"],
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": ""}, {"X-API-Key": "ak_" + "A" * 43}, {"X-API-Key": "garbage"}],
    ids=["missing", "empty", "unknown", "malformed"],
)
def test_bad_partner_key_is_401(client: httpx.Client, headers: dict[str, str]) -> None:
    _issue(client, ["read"])
    response = client.get("/whoami", headers=headers)
    assert response.status_code == 401, response.text
    assert isinstance(response.json()["detail"], str)


def test_a_key_sharing_the_prefix_but_not_the_secret_is_401(
    client: httpx.Client,
) -> None:
    created = _issue(client, ["read", "write"])
    key = created["key"]
    last = "A" if key[-1] != "A" else "B"
    for forged in (key[:12] + "x" * 32, key[:-1] + last, key[:12]):
        assert client.get("/whoami", headers=_as(forged)).status_code == 401, forged
        post = client.post("/messages", json={"text": "hi"}, headers=_as(forged))
        assert post.status_code == 401


def test_write_scope_is_required_to_post(client: httpx.Client) -> None:
    reader = _issue(client, ["read"])
    writer = _issue(client, ["write"])
    denied = client.post(
        "/messages", json={"text": "hello"}, headers=_as(reader["key"])
    )
    assert denied.status_code == 403, denied.text
    assert isinstance(denied.json()["detail"], str)
    allowed = client.post(
        "/messages", json={"text": "hello"}, headers=_as(writer["key"])
    )
    assert allowed.status_code == 201, allowed.text
    body = allowed.json()
    assert body["text"] == "hello"
    assert body["key_id"] == writer["id"]
    assert isinstance(body["id"], int)


def test_message_is_validated(client: httpx.Client) -> None:
    writer = _issue(client, ["write"])
    for payload in ({"text": ""}, {"text": "x" * 501}, {}):
        response = client.post("/messages", json=payload, headers=_as(writer["key"]))
        assert response.status_code == 422, payload


def test_use_is_recorded(client: httpx.Client) -> None:
    created = _issue(client, ["read"])
    assert client.get("/whoami", headers=_as(created["key"])).status_code == 200
    used = client.get(f"/keys/{created['id']}", headers=ADMIN).json()["last_used_at"]
    assert used is not None
    assert datetime.fromisoformat(used) >= datetime.fromisoformat(created["created_at"])


def test_revoked_key_stops_working_and_stays_listed(client: httpx.Client) -> None:
    created = _issue(client, ["read", "write"])
    other = _issue(client, ["read"])
    assert client.get("/whoami", headers=_as(created["key"])).status_code == 200
    assert client.delete(f"/keys/{created['id']}", headers=ADMIN).status_code == 204
    assert client.get("/whoami", headers=_as(created["key"])).status_code == 401
    post = client.post("/messages", json={"text": "x"}, headers=_as(created["key"]))
    assert post.status_code == 401
    assert client.get("/whoami", headers=_as(other["key"])).status_code == 200
    meta = client.get(f"/keys/{created['id']}", headers=ADMIN)
    assert meta.status_code == 200
    revoked_at = meta.json()["revoked_at"]
    assert revoked_at is not None
    assert client.delete(f"/keys/{created['id']}", headers=ADMIN).status_code == 204
    assert (
        client.get(f"/keys/{created['id']}", headers=ADMIN).json()["revoked_at"]
        == revoked_at
    )


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Admin-Key": "wrong"}, {"X-Admin-Key": ""}],
    ids=["none", "wrong", "empty"],
)
def test_administration_needs_the_admin_key(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    created = _issue(client, ["read"])
    for response in (
        client.post("/keys", json={"name": "x", "scopes": ["read"]}, headers=headers),
        client.get("/keys", headers=headers),
        client.get(f"/keys/{created['id']}", headers=headers),
        client.delete(f"/keys/{created['id']}", headers=headers),
    ):
        assert response.status_code == 401, response.request.url
        assert isinstance(response.json()["detail"], str)
    assert client.get("/whoami", headers=_as(created["key"])).status_code == 200


def test_a_partner_key_is_not_an_admin_key(client: httpx.Client) -> None:
    created = _issue(client, ["read", "write"])
    response = client.get("/keys", headers={"X-Admin-Key": created["key"]})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "", "scopes": ["read"]},
        {"name": "x" * 101, "scopes": ["read"]},
        {"name": "n", "scopes": []},
        {"name": "n", "scopes": ["admin"]},
        {"name": "n", "scopes": ["read", "read"]},
    ],
    ids=["empty-name", "long-name", "no-scopes", "unknown-scope", "repeated-scope"],
)
def test_invalid_key_request_is_422(
    client: httpx.Client, payload: dict[str, Any]
) -> None:
    response = client.post("/keys", json=payload, headers=ADMIN)
    assert response.status_code == 422, response.text


def test_unknown_key_id_is_404_and_pages_are_bounded(client: httpx.Client) -> None:
    created = _issue(client, ["read"])
    missing = client.get(f"/keys/{created['id'] + 100000}", headers=ADMIN)
    assert missing.status_code == 404
    assert isinstance(missing.json()["detail"], str)
    assert (
        client.delete(f"/keys/{created['id'] + 100000}", headers=ADMIN).status_code
        == 404
    )
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/keys", params=params, headers=ADMIN).status_code == 422
