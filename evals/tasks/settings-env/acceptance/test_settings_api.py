"""Hidden acceptance tests for settings-env: the deployment configured in task.toml.

APP_NAME="Acme Links", PUBLIC_BASE_URL="https://acme.test/s/", CODE_LENGTH=9,
ALLOWED_DOMAINS="example.com, docs.example.com", ADMIN_KEY="tok-7f3a9c2e5b8d1046".
"""

import asyncio
import re
import uuid
from typing import Any

import httpx
import pytest

TOKEN = "tok-7f3a9c2e5b8d1046"  # noqa: S105 - the deployment's test token (task.toml)
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
CODE = re.compile(r"^[A-Za-z0-9]{9}$")


def _url(host: str = "example.com") -> str:
    return f"https://{host}/{uuid.uuid4().hex}"


def _shorten(client: httpx.Client, url: str | None = None) -> dict[str, Any]:
    response = client.post("/links", json={"url": url or _url()})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _config(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/config")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_config_shows_the_app_name(client: httpx.Client) -> None:
    assert _config(client)["app_name"] == "Acme Links"


def test_config_shows_the_code_length_as_a_number(client: httpx.Client) -> None:
    assert _config(client)["code_length"] == 9


def test_config_parses_the_domain_list(client: httpx.Client) -> None:
    assert _config(client)["allowed_domains"] == ["example.com", "docs.example.com"]


def test_config_base_url_has_no_trailing_slash(client: httpx.Client) -> None:
    assert _config(client)["public_base_url"] == "https://acme.test/s"


def test_config_never_shows_the_token(client: httpx.Client) -> None:
    response = client.get("/config")
    assert response.status_code == 200
    assert TOKEN not in response.text
    assert set(response.json()) == {
        "app_name",
        "public_base_url",
        "code_length",
        "allowed_domains",
    }


def test_codes_have_the_configured_length(client: httpx.Client) -> None:
    for _ in range(5):
        assert CODE.match(_shorten(client)["code"])


def test_short_url_uses_the_public_base_url(client: httpx.Client) -> None:
    url = _url()
    link = _shorten(client, url)
    assert link["short_url"] == f"https://acme.test/s/{link['code']}"
    assert link["url"] == url


def test_every_listed_domain_is_allowed(client: httpx.Client) -> None:
    _shorten(client, _url("example.com"))
    _shorten(client, _url("docs.example.com"))


@pytest.mark.parametrize(
    "host",
    ["evil.test", "notexample.com", "example.com.evil.test", "api.example.com"],
)
def test_other_hosts_are_refused(client: httpx.Client, host: str) -> None:
    url = _url(host)
    response = client.post("/links", json={"url": url})
    assert response.status_code == 422, response.text
    assert "detail" in response.json()


@pytest.mark.parametrize("url", ["not a url", "ftp://example.com/file", ""])
def test_invalid_urls_are_refused(client: httpx.Client, url: str) -> None:
    response = client.post("/links", json={"url": url})
    assert response.status_code == 422, response.text


def test_link_can_be_read_back(client: httpx.Client) -> None:
    link = _shorten(client)
    response = client.get(f"/links/{link['code']}")
    assert response.status_code == 200
    assert response.json() == link


def test_short_code_redirects(client: httpx.Client) -> None:
    url = _url("docs.example.com")
    link = _shorten(client, url)
    response = client.get(f"/{link['code']}", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == url


def test_delete_without_token_is_401(client: httpx.Client) -> None:
    link = _shorten(client)
    response = client.delete(f"/links/{link['code']}")
    assert response.status_code == 401
    assert TOKEN not in response.text
    assert client.get(f"/links/{link['code']}").status_code == 200


def test_delete_with_wrong_token_is_401(client: httpx.Client) -> None:
    link = _shorten(client)
    for token in ("wrong-token-value", TOKEN[:-1], TOKEN + "x"):
        response = client.delete(
            f"/links/{link['code']}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401, token
    assert client.get(f"/links/{link['code']}").status_code == 200


def test_delete_with_the_token_removes_the_link(client: httpx.Client) -> None:
    link = _shorten(client)
    assert client.delete(f"/links/{link['code']}", headers=ADMIN).status_code == 204
    assert client.get(f"/links/{link['code']}").status_code == 404
    assert client.get(f"/{link['code']}", follow_redirects=False).status_code == 404
    assert client.delete(f"/links/{link['code']}", headers=ADMIN).status_code == 404


async def test_concurrent_links_get_distinct_codes(
    async_client: httpx.AsyncClient,
) -> None:
    responses = await asyncio.gather(
        *(async_client.post("/links", json={"url": _url()}) for _ in range(15))
    )
    assert [response.status_code for response in responses] == [201] * 15
    codes = {response.json()["code"] for response in responses}
    assert len(codes) == 15
