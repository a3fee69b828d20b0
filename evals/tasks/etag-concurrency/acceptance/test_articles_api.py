"""Hidden acceptance tests for etag-concurrency: black-box over HTTP.

Every test creates its own articles, so tests are independent of order and of each other.
"""

import asyncio
import uuid
from typing import Any

import httpx
import pytest


def _create(client: httpx.Client, **extra: Any) -> httpx.Response:
    body = {"title": f"t-{uuid.uuid4().hex[:10]}", "body": "first draft", **extra}
    response = client.post("/articles", json=body)
    assert response.status_code == 201, response.text
    return response


def _article(client: httpx.Client) -> tuple[str, dict[str, Any]]:
    created = _create(client)
    body: dict[str, Any] = created.json()
    return f"/articles/{body['id']}", body


def _detail(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert detail


def test_create_returns_version_1_and_a_strong_etag(client: httpx.Client) -> None:
    created = _create(client, title="Onboarding", body="Welcome!")
    body = created.json()
    assert isinstance(body["id"], int)
    assert body["title"] == "Onboarding"
    assert body["body"] == "Welcome!"
    assert body["version"] == 1
    assert created.headers["etag"] == '"1"'


def test_get_carries_the_etag_of_the_version(client: httpx.Client) -> None:
    path, article = _article(client)
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == article
    assert response.headers["etag"] == '"1"'


def test_if_none_match_current_is_304_without_body(client: httpx.Client) -> None:
    path, _ = _article(client)
    response = client.get(path, headers={"If-None-Match": '"1"'})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == '"1"'
    assert client.get(path, headers={"If-None-Match": '"0", *'}).status_code == 304


def test_if_none_match_stale_gets_the_article(client: httpx.Client) -> None:
    path, article = _article(client)
    response = client.get(path, headers={"If-None-Match": '"2", "3"'})
    assert response.status_code == 200
    assert response.json() == article


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_change_without_if_match_is_428(client: httpx.Client, method: str) -> None:
    path, article = _article(client)
    body = None if method == "DELETE" else {"title": "Changed"}
    response = client.request(method, path, json=body)
    _detail(response, 428)
    assert client.get(path).json() == article


def test_put_with_the_current_tag_replaces_and_bumps_the_version(
    client: httpx.Client,
) -> None:
    path, article = _article(client)
    response = client.put(path, json={"title": "Replaced"}, headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json() == {**article, "title": "Replaced", "body": "", "version": 2}
    assert response.headers["etag"] == '"2"'
    assert client.get(path).json()["version"] == 2


def test_lost_update_is_refused_with_412_and_the_current_tag(
    client: httpx.Client,
) -> None:
    path, _ = _article(client)
    first = client.put(path, json={"title": "Alice"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    second = client.put(path, json={"title": "Bob"}, headers={"If-Match": '"1"'})
    _detail(second, 412)
    assert second.headers["etag"] == '"2"'
    stored = client.get(path).json()
    assert stored["title"] == "Alice"
    assert stored["version"] == 2


def test_patch_changes_only_the_fields_sent(client: httpx.Client) -> None:
    path, article = _article(client)
    response = client.patch(
        path, json={"body": "second draft"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {**article, "body": "second draft", "version": 2}
    again = client.patch(path, json={"title": "Renamed"}, headers={"If-Match": '"2"'})
    assert again.json() == {
        **article,
        "title": "Renamed",
        "body": "second draft",
        "version": 3,
    }
    assert again.headers["etag"] == '"3"'


def test_patch_with_a_stale_tag_changes_nothing(client: httpx.Client) -> None:
    path, article = _article(client)
    client.patch(path, json={"title": "v2"}, headers={"If-Match": '"1"'})
    response = client.patch(path, json={"body": "late"}, headers={"If-Match": '"1"'})
    _detail(response, 412)
    assert client.get(path).json() == {**article, "title": "v2", "version": 2}


def test_if_match_lists_and_star_match(client: httpx.Client) -> None:
    path, _ = _article(client)
    listed = client.patch(path, json={"title": "a"}, headers={"If-Match": '"9", "1"'})
    assert listed.status_code == 200
    star = client.patch(path, json={"title": "b"}, headers={"If-Match": "*"})
    assert star.status_code == 200
    assert star.json()["version"] == 3


def test_weak_tags_never_match(client: httpx.Client) -> None:
    path, article = _article(client)
    response = client.put(path, json={"title": "weak"}, headers={"If-Match": 'W/"1"'})
    _detail(response, 412)
    assert client.get(path).json() == article


def test_delete_with_a_stale_tag_is_412_and_keeps_the_article(
    client: httpx.Client,
) -> None:
    path, _ = _article(client)
    client.patch(path, json={"title": "v2"}, headers={"If-Match": '"1"'})
    response = client.delete(path, headers={"If-Match": '"1"'})
    _detail(response, 412)
    assert response.headers["etag"] == '"2"'
    assert client.get(path).status_code == 200


def test_delete_with_the_current_tag(client: httpx.Client) -> None:
    path, _ = _article(client)
    response = client.delete(path, headers={"If-Match": '"1"'})
    assert response.status_code == 204
    assert response.content == b""
    _detail(client.get(path), 404)


def test_unknown_article_is_404_whatever_the_headers(client: httpx.Client) -> None:
    path, _ = _article(client)
    assert client.delete(path, headers={"If-Match": "*"}).status_code == 204
    _detail(client.put(path, json={"title": "x"}, headers={"If-Match": "*"}), 404)
    _detail(client.patch(path, json={"title": "x"}), 404)


@pytest.mark.parametrize(
    "body", [{"title": ""}, {"title": "x" * 201}, {"body": "no title"}]
)
def test_invalid_article_is_422(client: httpx.Client, body: dict[str, Any]) -> None:
    response = client.post("/articles", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


async def test_concurrent_changes_with_one_tag_let_exactly_one_through(
    async_client: httpx.AsyncClient,
) -> None:
    created = await async_client.post("/articles", json={"title": "race", "body": ""})
    path = f"/articles/{created.json()['id']}"
    answers = await asyncio.gather(
        *(
            async_client.patch(
                path, json={"body": f"writer {n}"}, headers={"If-Match": '"1"'}
            )
            for n in range(8)
        )
    )
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200] + [412] * 7, codes
    final = (await async_client.get(path)).json()
    assert final["version"] == 2
    winner = next(answer for answer in answers if answer.status_code == 200)
    assert final["body"] == winner.json()["body"]
