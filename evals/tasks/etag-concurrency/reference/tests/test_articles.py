import asyncio

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _create(client: AsyncClient, title: str = "Onboarding") -> dict[str, object]:
    response = await client.post("/articles", json={"title": title, "body": "hi"})
    assert response.status_code == 201, response.text
    assert response.headers["etag"] == '"1"'
    body: dict[str, object] = response.json()
    return body


async def test_get_answers_304_for_a_current_copy(client: AsyncClient) -> None:
    article = await _create(client)
    fresh = await client.get(
        f"/articles/{article['id']}", headers={"If-None-Match": '"1"'}
    )
    assert fresh.status_code == 304
    assert fresh.content == b""
    stale = await client.get(
        f"/articles/{article['id']}", headers={"If-None-Match": '"0"'}
    )
    assert stale.json()["version"] == 1


async def test_change_needs_a_matching_if_match(client: AsyncClient) -> None:
    article = await _create(client)
    path = f"/articles/{article['id']}"
    assert (await client.patch(path, json={"title": "x"})).status_code == 428
    stale = await client.patch(path, json={"title": "x"}, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.headers["etag"] == '"1"'
    weak = await client.patch(path, json={"title": "x"}, headers={"If-Match": 'W/"1"'})
    assert weak.status_code == 412
    done = await client.patch(path, json={"title": "New"}, headers={"If-Match": '"1"'})
    assert done.json() == {**article, "title": "New", "version": 2}
    assert done.headers["etag"] == '"2"'


async def test_replace_and_delete(client: AsyncClient) -> None:
    article = await _create(client)
    path = f"/articles/{article['id']}"
    replaced = await client.put(path, json={"title": "T"}, headers={"If-Match": "*"})
    assert replaced.json()["body"] == ""
    assert (await client.delete(path, headers={"If-Match": '"1"'})).status_code == 412
    assert (await client.delete(path, headers={"If-Match": '"2"'})).status_code == 204
    assert (await client.get(path)).status_code == 404


async def test_concurrent_changes_with_one_tag_let_one_through(
    client: AsyncClient,
) -> None:
    article = await _create(client)
    path = f"/articles/{article['id']}"
    answers = await asyncio.gather(
        *(
            client.patch(path, json={"body": str(n)}, headers={"If-Match": '"1"'})
            for n in range(5)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 412, 412, 412, 412]
