"""Fixtures for hidden acceptance tests: HTTP clients bound to the app's unix socket.

Loaded with ``-p acceptance_fixtures --app-socket PATH [--service-socket NAME=PATH ...]``.
The tests never import the project: they talk to it over HTTP only.
"""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

BASE_URL = "http://testserver"
TIMEOUT = httpx.Timeout(30.0)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--app-socket`` and ``--service-socket``."""
    parser.addoption(
        "--app-socket", default=None, help="unix socket the app listens on"
    )
    parser.addoption(
        "--app-startup-seconds",
        type=float,
        default=30.0,
        help="how long to wait for the app to accept connections",
    )
    parser.addoption(
        "--service-socket",
        action="append",
        default=[],
        help="NAME=PATH of a fake service",
    )


@pytest.fixture(scope="session")
def app_socket(pytestconfig: pytest.Config) -> str:
    """The unix socket the app under test listens on."""
    path = pytestconfig.getoption("--app-socket")
    if not path:
        pytest.fail(
            "no --app-socket given: acceptance tests run through `harness score`"
        )
    # The harness starts the tests while the app is still importing: wait for it.
    deadline = time.monotonic() + float(pytestconfig.getoption("--app-startup-seconds"))
    while not _accepts(str(path)):
        if time.monotonic() > deadline:
            pytest.fail(f"the app did not accept connections on {path}")
        time.sleep(0.01)
    return str(path)


def _accepts(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


@pytest.fixture(scope="session")
def base_url() -> str:
    """The base URL the clients use (the host part is nominal: the transport is a socket)."""
    return BASE_URL


@pytest.fixture
def client(app_socket: str, base_url: str) -> Iterator[httpx.Client]:
    """A synchronous ``httpx.Client`` bound to the app."""
    transport = httpx.HTTPTransport(uds=app_socket)
    with httpx.Client(transport=transport, base_url=base_url, timeout=TIMEOUT) as http:
        yield http


@pytest.fixture
async def async_client(
    app_socket: str, base_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    """An ``httpx.AsyncClient`` bound to the app (for concurrency tests)."""
    transport = httpx.AsyncHTTPTransport(uds=app_socket)
    async with httpx.AsyncClient(
        transport=transport, base_url=base_url, timeout=TIMEOUT
    ) as http:
        yield http


@pytest.fixture
def services(request: pytest.FixtureRequest) -> Iterator[dict[str, httpx.Client]]:
    """Clients for the task's fake services, by name, to script them and read what they saw."""
    request.getfixturevalue("app_socket")
    # The services run in a sandbox of their own: wait for each to accept, like the app.
    deadline = time.monotonic() + float(
        request.config.getoption("--app-startup-seconds")
    )
    clients: dict[str, httpx.Client] = {}
    for spec in request.config.getoption("--service-socket"):
        name, _, path = str(spec).partition("=")
        while not _accepts(path):
            if time.monotonic() > deadline:
                pytest.fail(f"the fake service {name} did not accept connections")
            time.sleep(0.01)
        clients[name] = httpx.Client(
            transport=httpx.HTTPTransport(uds=path), base_url=BASE_URL, timeout=TIMEOUT
        )
    try:
        yield clients
    finally:
        for http in clients.values():
            http.close()
