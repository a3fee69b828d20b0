"""POST /token (OAuth2 password flow with scopes) and GET /me."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt
from conftest import PASSWORD, SIGNING_KEY, Accounts, bearer, login


def test_token_carries_every_scope_of_the_user_by_default(
    client: httpx.Client, accounts: Accounts
) -> None:
    response = login(client, accounts.names["writer"], PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    assert body["scope"] == "items:read items:write"
    assert isinstance(body["access_token"], str)


def test_token_carries_only_the_requested_scopes(
    client: httpx.Client, accounts: Accounts
) -> None:
    response = login(client, accounts.names["writer"], PASSWORD, "items:read")
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "items:read"
    headers = bearer(response.json()["access_token"])
    me = client.get("/me", headers=headers)
    assert me.json()["scopes"] == ["items:read"]
    denied = client.post("/items", json={"name": "x", "quantity": 1}, headers=headers)
    assert denied.status_code == 403, "a token asked for items:read could write"


def test_scope_the_user_does_not_have_is_400(
    client: httpx.Client, accounts: Accounts
) -> None:
    response = login(
        client, accounts.names["reader"], PASSWORD, "items:read items:write"
    )
    assert response.status_code == 400, response.text
    assert isinstance(response.json()["detail"], str)
    assert "access_token" not in response.json()


def test_wrong_password_or_user_is_401(
    client: httpx.Client, accounts: Accounts
) -> None:
    for username, password in (
        (accounts.names["reader"], "wrong password"),
        ("nobody_at_all", PASSWORD),
    ):
        response = login(client, username, password)
        assert response.status_code == 401, response.text
        assert response.headers.get("www-authenticate", "").startswith("Bearer")
        assert isinstance(response.json()["detail"], str)


def test_me_names_the_user_and_the_token_scopes(
    client: httpx.Client, accounts: Accounts
) -> None:
    response = client.get("/me", headers=accounts.headers("deleter"))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "username": accounts.names["deleter"],
        "scopes": ["items:delete", "items:read"],
    }
    empty = client.get("/me", headers=accounts.headers("nobody"))
    assert empty.json() == {"username": accounts.names["nobody"], "scopes": []}


def test_token_is_a_jwt_with_sub_scope_and_a_15_minute_exp(
    client: httpx.Client, accounts: Accounts
) -> None:
    token = accounts.token("reader")
    claims = jwt.decode(token, SIGNING_KEY, algorithms=["HS256"])
    assert claims["sub"] == accounts.names["reader"]
    assert claims["scope"] == "items:read"
    expires = datetime.fromtimestamp(claims["exp"], UTC)
    expected = datetime.now(UTC) + timedelta(minutes=15)
    assert abs((expires - expected).total_seconds()) < 120
