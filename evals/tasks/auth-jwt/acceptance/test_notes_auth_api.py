"""Hidden acceptance tests for auth-jwt: black-box over HTTP."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio
import httpx
import jwt
import pytest

#: A key the app does not know: tokens signed with it must be rejected.
FOREIGN_KEY = "not-the-apps-key-0123456789abcdef0123456789abcdef"
#: The app's key: task.toml gives it as JWT_SECRET (a declared literal), so tests can
#: sign tokens the app must accept, and then expired ones and ones for unknown users.
APP_KEY = "acceptance-jwt-signing-key-0123456789abcdef"
PASSWORD = "correct horse battery staple"  # noqa: S105


@dataclass
class Account:
    id: int
    email: str
    headers: dict[str, str]


def _email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _login(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return client.post("/auth/token", data={"username": email, "password": password})


def _account(client: httpx.Client) -> Account:
    email = _email()
    registered = client.post(
        "/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert registered.status_code == 201, registered.text
    token = _login(client, email, PASSWORD)
    assert token.status_code == 200, token.text
    return Account(
        registered.json()["id"], email, _bearer(token.json()["access_token"])
    )


def _note(client: httpx.Client, account: Account, **fields: str) -> dict[str, object]:
    payload = {"title": "Groceries", "body": "eggs"} | fields
    response = client.post("/notes", json=payload, headers=account.headers)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def _assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")


def _claims(token: str) -> dict[str, object]:
    """The claims of a token, read without its key (the app's key is its own)."""
    claims: dict[str, object] = jwt.decode(token, options={"verify_signature": False})
    return claims


def test_register_returns_the_account_without_secrets(client: httpx.Client) -> None:
    email = _email()
    response = client.post(
        "/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == email
    assert isinstance(body["id"], int)
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert PASSWORD not in response.text
    assert not {"password", "hashed_password", "password_hash"} & set(body)


def test_duplicate_email_is_a_conflict_regardless_of_case(
    client: httpx.Client,
) -> None:
    email = _email()
    first = client.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert first.status_code == 201
    again = client.post(
        "/auth/register", json={"email": email.upper(), "password": PASSWORD}
    )
    assert again.status_code == 409
    assert "detail" in again.json()


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "short@example.com", "password": "seven77"},
        {"email": "nopassword@example.com"},
    ],
)
def test_invalid_registration_is_422(
    client: httpx.Client, payload: dict[str, str]
) -> None:
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_login_returns_a_bearer_token_naming_the_user(client: httpx.Client) -> None:
    email = _email()
    user = client.post("/auth/register", json={"email": email, "password": PASSWORD})
    response = _login(client, email.upper(), PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "HS256"
    claims = _claims(body["access_token"])
    assert claims["sub"] == str(user.json()["id"])
    assert isinstance(claims["exp"], int | float)
    lifetime = claims["exp"] - datetime.now(UTC).timestamp()
    assert 0 < lifetime <= 30 * 60 + 5


def test_wrong_credentials_are_401(client: httpx.Client) -> None:
    account = _account(client)
    _assert_unauthorized(_login(client, account.email, PASSWORD + "!"))
    _assert_unauthorized(_login(client, _email(), PASSWORD))


def test_me_returns_the_token_owner(client: httpx.Client) -> None:
    account = _account(client)
    response = client.get("/users/me", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["id"] == account.id
    assert response.json()["email"] == account.email


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_missing_or_malformed_token_is_401(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    _assert_unauthorized(client.get("/users/me", headers=headers))


def test_token_signed_with_another_key_is_401(client: httpx.Client) -> None:
    account = _account(client)
    exp = datetime.now(UTC) + timedelta(minutes=10)
    token = jwt.encode({"sub": str(account.id), "exp": exp}, FOREIGN_KEY, "HS256")
    _assert_unauthorized(client.get("/users/me", headers=_bearer(token)))
    _assert_unauthorized(client.get("/notes", headers=_bearer(token)))


def test_tampered_token_is_401(client: httpx.Client) -> None:
    victim, attacker = _account(client), _account(client)
    token = attacker.headers["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    claims = _claims(token) | {"sub": str(victim.id)}
    forged = jwt.encode(claims, FOREIGN_KEY, "HS256").split(".")[1]
    tampered = f"{header}.{forged}.{signature}"
    assert payload != forged
    _assert_unauthorized(client.get("/users/me", headers=_bearer(tampered)))


def test_unsigned_token_is_401(client: httpx.Client) -> None:
    account = _account(client)
    exp = datetime.now(UTC) + timedelta(minutes=10)
    token = jwt.encode({"sub": str(account.id), "exp": exp}, key=None, algorithm="none")
    _assert_unauthorized(client.get("/users/me", headers=_bearer(token)))


def _signed(subject: str, expires_in: timedelta) -> dict[str, str]:
    exp = datetime.now(UTC) + expires_in
    return _bearer(jwt.encode({"sub": subject, "exp": exp}, APP_KEY, "HS256"))


def test_expired_token_is_401(client: httpx.Client) -> None:
    account = _account(client)
    # Signed with the app's key (JWT_SECRET): accepted while valid...
    fresh = client.get(
        "/users/me", headers=_signed(str(account.id), timedelta(minutes=5))
    )
    assert fresh.status_code == 200, fresh.text
    # ...and rejected once expired.
    expired = _signed(str(account.id), -timedelta(minutes=5))
    _assert_unauthorized(client.get("/users/me", headers=expired))
    _assert_unauthorized(client.get("/notes", headers=expired))


def test_token_for_a_user_that_does_not_exist_is_401(client: httpx.Client) -> None:
    account = _account(client)
    valid = client.get(
        "/users/me", headers=_signed(str(account.id), timedelta(minutes=5))
    )
    assert valid.status_code == 200, valid.text
    ghost = _signed(str(account.id + 1_000_000), timedelta(minutes=5))
    _assert_unauthorized(client.get("/users/me", headers=ghost))
    _assert_unauthorized(client.get("/notes", headers=ghost))


def test_note_is_created_and_persists(client: httpx.Client) -> None:
    account = _account(client)
    note = _note(client, account, title="Plan", body="write tests")
    assert note["owner_id"] == account.id
    again = client.get(f"/notes/{note['id']}", headers=account.headers)
    assert again.status_code == 200
    assert again.json()["title"] == "Plan"
    assert again.json()["body"] == "write tests"
    assert datetime.fromisoformat(again.json()["updated_at"]).tzinfo is not None


def test_invalid_note_is_422(client: httpx.Client) -> None:
    account = _account(client)
    for payload in ({"title": ""}, {"body": "no title"}, {"title": "x" * 201}):
        response = client.post("/notes", json=payload, headers=account.headers)
        assert response.status_code == 422, payload


def test_list_shows_only_my_notes_paginated(client: httpx.Client) -> None:
    me, other = _account(client), _account(client)
    mine = [_note(client, me, title=f"n{number}")["id"] for number in range(3)]
    _note(client, other, title="not yours")
    page = client.get(
        "/notes", params={"limit": 2, "offset": 1}, headers=me.headers
    ).json()
    assert page["total"] == 3
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [item["id"] for item in page["items"]] == mine[1:]
    everything = client.get("/notes", headers=me.headers).json()
    assert [item["id"] for item in everything["items"]] == mine


def test_page_size_is_bounded(client: httpx.Client) -> None:
    account = _account(client)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = client.get("/notes", params=params, headers=account.headers)
        assert response.status_code == 422, params


def test_patch_changes_only_sent_fields_and_persists(client: httpx.Client) -> None:
    account = _account(client)
    note = _note(client, account, title="Draft", body="v1")
    url = f"/notes/{note['id']}"
    patched = client.patch(url, json={"body": "v2"}, headers=account.headers)
    assert patched.status_code == 200, patched.text
    again = client.get(url, headers=account.headers).json()
    assert again["title"] == "Draft"
    assert again["body"] == "v2"


def test_delete_removes_the_note(client: httpx.Client) -> None:
    account = _account(client)
    note = _note(client, account)
    url = f"/notes/{note['id']}"
    assert client.delete(url, headers=account.headers).status_code == 204
    assert client.get(url, headers=account.headers).status_code == 404
    assert client.delete(url, headers=account.headers).status_code == 404


def test_someone_elses_note_is_403_and_untouched(client: httpx.Client) -> None:
    owner, intruder = _account(client), _account(client)
    note = _note(client, owner, title="Secret", body="plans")
    url = f"/notes/{note['id']}"
    assert client.get(url, headers=intruder.headers).status_code == 403
    changed = client.patch(url, json={"body": "hacked"}, headers=intruder.headers)
    assert changed.status_code == 403
    assert client.delete(url, headers=intruder.headers).status_code == 403
    kept = client.get(url, headers=owner.headers)
    assert kept.status_code == 200
    assert kept.json()["body"] == "plans"


def test_missing_note_is_404(client: httpx.Client) -> None:
    account = _account(client)
    url = "/notes/987654321"
    assert client.get(url, headers=account.headers).status_code == 404
    assert (
        client.patch(url, json={"body": "x"}, headers=account.headers).status_code
        == 404
    )


def test_notes_need_authentication_before_anything_else(
    client: httpx.Client,
) -> None:
    owner = _account(client)
    note = _note(client, owner)
    for method, url in [
        ("POST", "/notes"),
        ("GET", "/notes"),
        ("GET", f"/notes/{note['id']}"),
        ("PATCH", f"/notes/{note['id']}"),
        ("DELETE", f"/notes/{note['id']}"),
        ("GET", "/notes/987654321"),
    ]:
        _assert_unauthorized(client.request(method, url, json={"title": "x"}))
    assert client.get(f"/notes/{note['id']}", headers=owner.headers).status_code == 200


async def test_concurrent_registrations_of_one_email_create_one_account(
    async_client: httpx.AsyncClient,
) -> None:
    email = _email()
    statuses: list[int] = []

    async def register() -> None:
        response = await async_client.post(
            "/auth/register", json={"email": email, "password": PASSWORD}
        )
        statuses.append(response.status_code)

    async with anyio.create_task_group() as group:
        for _ in range(4):
            group.start_soon(register)
    assert sorted(statuses) == [201, 409, 409, 409]
