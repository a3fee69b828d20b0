"""Scope checks per route: 401 (no valid token) before 403 (missing scope) before 422/404."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from conftest import PASSWORD, SIGNING_KEY, Accounts, bearer, login

ROUTES = [
    ("GET", "/items"),
    ("POST", "/items"),
    ("GET", "/items/1"),
    ("DELETE", "/items/1"),
    ("GET", "/me"),
    ("POST", "/users"),
]


def _claims(**extra: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "sub": "chief",
        "scope": "items:read",
        "exp": now + timedelta(minutes=5),
        **extra,
    }


def _forbidden(response: httpx.Response, scope: str) -> None:
    assert response.status_code == 403, response.text
    challenge = response.headers.get("www-authenticate", "")
    assert challenge.startswith("Bearer"), challenge
    assert 'error="insufficient_scope"' in challenge, challenge
    assert f'scope="{scope}"' in challenge, challenge
    assert isinstance(response.json()["detail"], str)


def _unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers.get("www-authenticate", "").startswith("Bearer")
    assert isinstance(response.json()["detail"], str)


def _item(client: httpx.Client, accounts: Accounts, **fields: Any) -> dict[str, Any]:
    body = {"name": f"item-{uuid.uuid4().hex[:8]}", "quantity": 3, **fields}
    response = client.post("/items", json=body, headers=accounts.headers("writer"))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_every_route_without_a_token_is_401(client: httpx.Client) -> None:
    for method, path in ROUTES:
        _unauthorized(client.request(method, path, json={}))


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-jwt",
        "Bearer "
        + jwt.encode(
            _claims(), "some-other-key-0123456789abcdef0123", algorithm="HS256"
        ),
        "Bearer " + jwt.encode(_claims(), None, algorithm="none"),
        "Bearer "
        + jwt.encode(
            _claims(exp=datetime.now(UTC) - timedelta(minutes=1)),
            SIGNING_KEY,
            algorithm="HS256",
        ),
        "Basic Y2hpZWY6Y2hpZWYtcGFzc3BocmFzZS00Mg==",
    ],
    ids=["malformed", "wrong-key", "unsigned", "expired", "basic-scheme"],
)
def test_invalid_credentials_are_401(client: httpx.Client, authorization: str) -> None:
    _unauthorized(client.get("/items", headers={"Authorization": authorization}))


def test_missing_scope_is_403_with_an_insufficient_scope_challenge(
    client: httpx.Client, accounts: Accounts
) -> None:
    response = client.post(
        "/items",
        json={"name": "bolts", "quantity": 1},
        headers=accounts.headers("reader"),
    )
    _forbidden(response, "items:write")


def test_each_route_requires_its_own_scope(
    client: httpx.Client, accounts: Accounts
) -> None:
    item = _item(client, accounts)
    reader, writer = accounts.headers("reader"), accounts.headers("writer")
    assert client.get("/items", headers=reader).status_code == 200
    assert client.get(f"/items/{item['id']}", headers=reader).status_code == 200
    _forbidden(client.delete(f"/items/{item['id']}", headers=reader), "items:delete")
    _forbidden(client.delete(f"/items/{item['id']}", headers=writer), "items:delete")
    nobody = accounts.headers("nobody")
    _forbidden(client.get("/items", headers=nobody), "items:read")
    _forbidden(client.get(f"/items/{item['id']}", headers=nobody), "items:read")
    assert client.get(f"/items/{item['id']}", headers=reader).status_code == 200


def test_writer_creates_an_item_that_persists(
    client: httpx.Client, accounts: Accounts
) -> None:
    item = _item(client, accounts, name="Hex bolts M6", quantity=250)
    assert isinstance(item["id"], int)
    assert item["name"] == "Hex bolts M6"
    assert item["quantity"] == 250
    assert item["created_by"] == accounts.names["writer"]
    assert datetime.fromisoformat(item["created_at"]).tzinfo is not None
    fetched = client.get(f"/items/{item['id']}", headers=accounts.headers("reader"))
    assert fetched.status_code == 200
    assert fetched.json() == item


def test_deleter_deletes_an_item(client: httpx.Client, accounts: Accounts) -> None:
    item = _item(client, accounts)
    url = f"/items/{item['id']}"
    assert client.delete(url, headers=accounts.headers("deleter")).status_code == 204
    gone = client.get(url, headers=accounts.headers("reader"))
    assert gone.status_code == 404
    assert isinstance(gone.json()["detail"], str)
    assert client.delete(url, headers=accounts.headers("deleter")).status_code == 404


def test_items_are_paginated_oldest_first(
    client: httpx.Client, accounts: Accounts
) -> None:
    mine = [_item(client, accounts)["id"] for _ in range(3)]
    reader = accounts.headers("reader")
    total = client.get("/items", params={"limit": 1}, headers=reader).json()["total"]
    page = client.get(
        "/items", params={"limit": 2, "offset": total - 3}, headers=reader
    )
    assert page.status_code == 200
    assert page.json()["total"] == total
    assert page.json()["limit"] == 2
    assert [item["id"] for item in page.json()["items"]] == mine[:2]
    assert (
        client.get("/items", params={"limit": 101}, headers=reader).status_code == 422
    )


def test_auth_is_checked_before_the_body(
    client: httpx.Client, accounts: Accounts
) -> None:
    invalid = {"name": "", "quantity": -1}
    _unauthorized(client.post("/items", json=invalid))
    _forbidden(
        client.post("/items", json=invalid, headers=accounts.headers("reader")),
        "items:write",
    )
    response = client.post("/items", json=invalid, headers=accounts.headers("writer"))
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_creating_users_requires_users_write(
    client: httpx.Client, accounts: Accounts
) -> None:
    body = {"username": f"x_{uuid.uuid4().hex[:8]}", "password": PASSWORD, "scopes": []}
    _forbidden(
        client.post("/users", json=body, headers=accounts.headers("writer")),
        "users:write",
    )


def test_admin_creates_a_user_who_can_log_in(
    client: httpx.Client, accounts: Accounts
) -> None:
    username = f"new_{uuid.uuid4().hex[:8]}"
    body = {
        "username": username,
        "password": PASSWORD,
        "scopes": ["items:read", "items:delete"],
    }
    created = client.post("/users", json=body, headers=accounts.headers("admin"))
    assert created.status_code == 201, created.text
    assert created.json()["username"] == username
    assert created.json()["scopes"] == ["items:delete", "items:read"]
    assert "password" not in created.text
    again = client.post("/users", json=body, headers=accounts.headers("admin"))
    assert again.status_code == 409
    token = login(client, username, PASSWORD)
    assert token.json()["scope"] == "items:delete items:read"
    me = client.get("/me", headers=bearer(token.json()["access_token"]))
    assert me.json()["username"] == username


@pytest.mark.parametrize(
    "fields",
    [{"username": "No Spaces"}, {"password": "short"}, {"scopes": ["items:admin"]}],
    ids=["bad-username", "short-password", "unknown-scope"],
)
def test_invalid_user_is_422(
    client: httpx.Client, accounts: Accounts, fields: dict[str, Any]
) -> None:
    body = {
        "username": f"u_{uuid.uuid4().hex[:8]}",
        "password": PASSWORD,
        "scopes": [],
        **fields,
    }
    response = client.post("/users", json=body, headers=accounts.headers("admin"))
    assert response.status_code == 422, response.text
