"""Hidden acceptance tests for password-reset-once: black-box over HTTP.

The app runs with ``RESET_LINK_TTL_SECONDS=4`` and ``OUTBOX_API_ENABLED=true``; reset
links are read from ``GET /outbox``. Every test signs up its own address.
"""

import asyncio
import time
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

TTL_SECONDS = 4
ACCEPTED = "If this address has an account, we sent it a link to reset the password."
OLD, NEW = "old password 1", "new password 2"


def _email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


def _sign_up(client: httpx.Client, email: str, password: str = OLD) -> dict[str, Any]:
    response = client.post("/users", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _login(client: httpx.Client, email: str, password: str) -> int:
    response = client.post("/auth/login", json={"email": email, "password": password})
    return response.status_code


def _mails(client: httpx.Client, email: str) -> list[dict[str, Any]]:
    response = client.get("/outbox", params={"to": email, "limit": 100})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _request(client: httpx.Client, email: str) -> str:
    """Ask for a reset link and return the token of the newest one."""
    response = client.post("/password-resets", json={"email": email})
    assert response.status_code == 202, response.text
    link = _mails(client, email)[0]["link"]
    token: str = parse_qs(urlsplit(link).query)["token"][0]
    return token


def _confirm(client: httpx.Client, token: str, password: str = NEW) -> httpx.Response:
    return client.post(
        "/password-resets/confirm", json={"token": token, "new_password": password}
    )


# Behaviour that already works in the starter and must keep working.


def test_sign_up_returns_the_user(client: httpx.Client) -> None:
    email = _email()
    body = _sign_up(client, email.upper())
    assert body["email"] == email
    assert isinstance(body["id"], int)
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert not {"password", "hashed_password"} & set(body)


def test_login_checks_the_password(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    ok = client.post("/auth/login", json={"email": email, "password": OLD})
    assert ok.status_code == 200, ok.text
    assert ok.json()["email"] == email
    assert _login(client, email, "wrong password") == 401
    assert _login(client, _email(), OLD) == 401


def test_taken_address_is_409(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    response = client.post("/users", json={"email": email, "password": OLD})
    assert response.status_code == 409
    assert isinstance(response.json()["detail"], str)


def test_invalid_sign_up_is_422(client: httpx.Client) -> None:
    for body in (
        {"email": "not-an-address", "password": OLD},
        {"email": _email(), "password": "short"},
        {"email": _email(), "password": "x" * 129},
    ):
        assert client.post("/users", json=body).status_code == 422, body


def test_reset_request_for_an_account_sends_one_link(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    response = client.post("/password-resets", json={"email": email})
    assert response.status_code == 202
    assert response.json() == {"detail": ACCEPTED}
    mails = _mails(client, email)
    assert len(mails) == 1
    assert parse_qs(urlsplit(mails[0]["link"]).query)["token"][0]


def test_unknown_token_is_400(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    response = _confirm(client, "not-a-real-token-" + uuid.uuid4().hex)
    assert response.status_code == 400
    assert response.json() == {"detail": "this reset link is invalid or has expired"}
    assert _login(client, email, OLD) == 200


# The reported bugs.


def test_reset_link_sets_the_new_password(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    response = _confirm(client, _request(client, email))
    assert response.status_code == 204, response.text
    assert _login(client, email, NEW) == 200
    assert _login(client, email, OLD) == 401


def test_reset_link_works_only_once(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    token = _request(client, email)
    assert _confirm(client, token).status_code == 204
    again = _confirm(client, token, "third password 3")
    assert again.status_code == 400, again.text
    assert again.json() == {"detail": "this reset link is invalid or has expired"}
    assert _login(client, email, NEW) == 200
    assert _login(client, email, "third password 3") == 401


async def test_concurrent_uses_of_one_link_succeed_once(
    async_client: httpx.AsyncClient,
) -> None:
    email = _email()
    created = await async_client.post("/users", json={"email": email, "password": OLD})
    assert created.status_code == 201
    await async_client.post("/password-resets", json={"email": email})
    outbox = await async_client.get("/outbox", params={"to": email})
    token = parse_qs(urlsplit(outbox.json()["items"][0]["link"]).query)["token"][0]
    passwords = [f"concurrent password {n}" for n in range(6)]
    responses = await asyncio.gather(
        *(
            async_client.post(
                "/password-resets/confirm",
                json={"token": token, "new_password": password},
            )
            for password in passwords
        )
    )
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [204, 400, 400, 400, 400, 400], statuses
    winner = passwords[statuses.index(204)]
    login = await async_client.post(
        "/auth/login", json={"email": email, "password": winner}
    )
    assert login.status_code == 200


def test_a_new_link_replaces_the_older_ones(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    first = _request(client, email)
    second = _request(client, email)
    third = _request(client, email)
    assert len({first, second, third}) == 3
    assert _confirm(client, first).status_code == 400
    assert _confirm(client, second).status_code == 400
    assert _login(client, email, OLD) == 200
    assert _confirm(client, third).status_code == 204
    assert _login(client, email, NEW) == 200


def test_links_of_other_users_stay_valid(client: httpx.Client) -> None:
    ann, bob = _email(), _email()
    _sign_up(client, ann)
    _sign_up(client, bob)
    bob_token = _request(client, bob)
    _request(client, ann)
    assert _confirm(client, bob_token).status_code == 204
    assert _login(client, bob, NEW) == 200
    assert _login(client, ann, OLD) == 200


def test_link_expires_after_the_ttl(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    fresh = _request(client, email)
    assert _confirm(client, fresh).status_code == 204
    stale = _request(client, email)
    time.sleep(TTL_SECONDS + 0.6)
    response = _confirm(client, stale, "too late password")
    assert response.status_code == 400, response.text
    assert _login(client, email, NEW) == 200


def test_unknown_address_gets_the_same_answer_and_no_mail(client: httpx.Client) -> None:
    known, unknown = _email(), _email()
    _sign_up(client, known)
    for email in (known, unknown):
        response = client.post("/password-resets", json={"email": email})
        assert response.status_code == 202, response.text
        assert response.json() == {"detail": ACCEPTED}
    assert len(_mails(client, known)) == 1
    assert _mails(client, unknown) == []


@pytest.mark.parametrize("password", ["a", "seven77", "x" * 129], ids=["1", "7", "129"])
def test_new_password_follows_the_sign_up_rule(
    client: httpx.Client, password: str
) -> None:
    email = _email()
    _sign_up(client, email)
    token = _request(client, email)
    response = _confirm(client, token, password)
    assert response.status_code == 422, response.text
    assert _login(client, email, OLD) == 200
    assert _confirm(client, token).status_code == 204


def test_reset_request_matches_the_address_in_any_case(client: httpx.Client) -> None:
    email = _email()
    _sign_up(client, email)
    response = client.post("/password-resets", json={"email": email.upper()})
    assert response.status_code == 202
    assert len(_mails(client, email)) == 1
