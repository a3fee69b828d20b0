"""Accounts shared by the tests: made once per session, since password hashing is slow."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

ADMIN = ("chief", "chief-passphrase-42")
SIGNING_KEY = "acceptance-signing-key-0123456789abcdef"
PASSWORD = "correct horse 1"


def login(
    http: httpx.Client, username: str, password: str, scope: str | None = None
) -> httpx.Response:
    form = {"username": username, "password": password}
    if scope is not None:
        form["scope"] = scope
    return http.post("/token", data=form)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Accounts:
    """Users with known scopes, and a cache of their tokens."""

    http: httpx.Client
    names: dict[str, str] = field(default_factory=dict)
    tokens: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def token(self, role: str, scope: str | None = None) -> str:
        key = (role, scope)
        if key not in self.tokens:
            username, password = (
                ADMIN if role == "admin" else (self.names[role], PASSWORD)
            )
            response = login(self.http, username, password, scope)
            assert response.status_code == 200, response.text
            self.tokens[key] = response.json()["access_token"]
        return self.tokens[key]

    def headers(self, role: str, scope: str | None = None) -> dict[str, str]:
        return bearer(self.token(role, scope))


ROLES = {
    "reader": ["items:read"],
    "writer": ["items:read", "items:write"],
    "deleter": ["items:delete", "items:read"],
    "nobody": [],
}


@pytest.fixture(scope="session")
def accounts(app_socket: str, base_url: str) -> Iterator[Accounts]:
    transport = httpx.HTTPTransport(uds=app_socket)
    with httpx.Client(transport=transport, base_url=base_url, timeout=30) as http:
        made = Accounts(http)
        tag = uuid.uuid4().hex[:8]
        for role, scopes in ROLES.items():
            username = f"{role}_{tag}"
            response = http.post(
                "/users",
                json={"username": username, "password": PASSWORD, "scopes": scopes},
                headers=made.headers("admin"),
            )
            assert response.status_code == 201, response.text
            made.names[role] = username
        yield made
