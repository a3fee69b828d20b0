from datetime import UTC, datetime, timedelta

import jwt
import pytest
from httpx import AsyncClient

from tests.conftest import SECRET, Login

pytestmark = pytest.mark.anyio


async def test_register_hides_the_password(client: AsyncClient) -> None:
    response = await client.post(
        "/auth/register", json={"email": "Ann@Example.com", "password": "long enough"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "ann@example.com"
    assert "password" not in response.text


async def test_duplicate_email_is_a_conflict(client: AsyncClient) -> None:
    payload = {"email": "bo@example.com", "password": "long enough"}
    assert (await client.post("/auth/register", json=payload)).status_code == 201
    payload["email"] = "BO@example.com"
    assert (await client.post("/auth/register", json=payload)).status_code == 409


async def test_wrong_password_is_unauthorized(client: AsyncClient) -> None:
    payload = {"email": "cy@example.com", "password": "long enough"}
    await client.post("/auth/register", json=payload)
    response = await client.post(
        "/auth/token", data={"username": "cy@example.com", "password": "wrong one"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_me(client: AsyncClient, login: Login) -> None:
    headers = await login("di@example.com")
    response = await client.get("/users/me", headers=headers)
    assert response.status_code == 200
    assert response.json()["email"] == "di@example.com"


async def test_expired_token_is_rejected(client: AsyncClient, login: Login) -> None:
    await login("ed@example.com")
    me = await client.post(
        "/auth/token", data={"username": "ed@example.com", "password": "x" * 8}
    )
    assert me.status_code == 401
    past = datetime.now(UTC) - timedelta(minutes=5)
    token = jwt.encode({"sub": "1", "exp": past}, SECRET, algorithm="HS256")
    response = await client.get(
        "/users/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401


async def test_missing_token_is_unauthorized(client: AsyncClient) -> None:
    assert (await client.get("/users/me")).status_code == 401
