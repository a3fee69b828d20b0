import pytest
from httpx import AsyncClient

from tests.conftest import TOKEN

pytestmark = pytest.mark.anyio


async def test_config_hides_the_token(client: AsyncClient) -> None:
    response = await client.get("/config")
    assert response.json()["public_base_url"] == "https://sho.rt"
    assert TOKEN not in response.text


async def test_shorten_and_follow(client: AsyncClient) -> None:
    created = await client.post("/links", json={"url": "https://example.com/a"})
    assert created.status_code == 201
    code = created.json()["code"]
    assert len(code) == 5
    assert created.json()["short_url"] == f"https://sho.rt/{code}"
    followed = await client.get(f"/{code}")
    assert followed.status_code == 307
    assert followed.headers["location"] == "https://example.com/a"


async def test_other_domains_are_refused(client: AsyncClient) -> None:
    response = await client.post("/links", json={"url": "https://evil.test/"})
    assert response.status_code == 422


async def test_delete_needs_the_token(client: AsyncClient) -> None:
    code = (await client.post("/links", json={"url": "https://example.com/"})).json()[
        "code"
    ]
    assert (await client.delete(f"/links/{code}")).status_code == 401
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert (await client.delete(f"/links/{code}", headers=headers)).status_code == 204
    assert (await client.get(f"/links/{code}")).status_code == 404
