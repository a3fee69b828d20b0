from urllib.parse import parse_qs, urlsplit

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio

EMAIL = "ann@example.com"


async def test_sign_up_and_login(client: AsyncClient) -> None:
    response = await client.post(
        "/users", json={"email": "Ann@Example.com", "password": "correct horse"}
    )
    assert response.status_code == 201
    assert response.json()["email"] == EMAIL
    ok = await client.post(
        "/auth/login", json={"email": EMAIL, "password": "correct horse"}
    )
    assert ok.status_code == 200
    wrong = await client.post("/auth/login", json={"email": EMAIL, "password": "nope"})
    assert wrong.status_code == 401


async def test_duplicate_address_is_409(client: AsyncClient) -> None:
    body = {"email": EMAIL, "password": "correct horse"}
    assert (await client.post("/users", json=body)).status_code == 201
    assert (await client.post("/users", json=body)).status_code == 409


async def test_reset_request_sends_a_link(client: AsyncClient) -> None:
    await client.post("/users", json={"email": EMAIL, "password": "correct horse"})
    response = await client.post("/password-resets", json={"email": EMAIL})
    assert response.status_code == 202
    mail = (await client.get("/outbox", params={"to": EMAIL})).json()["items"][0]
    assert parse_qs(urlsplit(mail["link"]).query)["token"]
