"""Hidden acceptance tests for crud-notes: black-box over HTTP.

The app and its database live for the whole session, so every test makes its own notes
with a unique marker in the title and filters on it (``q``) when it counts.
"""

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest


def _marker() -> str:
    return f"m{uuid.uuid4().hex[:12]}"


def _create(client: httpx.Client, title: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/notes", json={"title": title, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _page(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/notes", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _is_validation_error(response: httpx.Response, field: str | None = None) -> None:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list)
    assert detail
    if field is not None:
        assert any(field in [str(part) for part in item["loc"]] for item in detail)


def test_create_returns_201_and_the_note(client: httpx.Client) -> None:
    note = _create(client, "Groceries", body="milk, eggs", pinned=True)
    assert isinstance(note["id"], int)
    assert note["title"] == "Groceries"
    assert note["body"] == "milk, eggs"
    assert note["pinned"] is True
    datetime.fromisoformat(note["created_at"])
    datetime.fromisoformat(note["updated_at"])


def test_create_applies_defaults_and_trims_the_title(client: httpx.Client) -> None:
    note = _create(client, "  Padded title  ")
    assert note["title"] == "Padded title"
    assert note["body"] == ""
    assert note["pinned"] is False


def test_created_note_persists(client: httpx.Client) -> None:
    note = _create(client, "Persisted", body="still here")
    fetched = client.get(f"/notes/{note['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["title"] == "Persisted"
    assert fetched.json()["body"] == "still here"


def test_each_note_gets_its_own_id(client: httpx.Client) -> None:
    first, second = _create(client, "one"), _create(client, "two")
    assert first["id"] != second["id"]
    assert client.get(f"/notes/{second['id']}").json()["title"] == "two"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "no title"}, "title"),
        ({"title": ""}, "title"),
        ({"title": "    "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "body": "b" * 10_001}, "body"),
        ({"title": "ok", "pinned": [1]}, "pinned"),
    ],
    ids=["missing", "empty", "blank", "too-long", "body-too-long", "pinned-type"],
)
def test_invalid_note_is_rejected(
    client: httpx.Client, payload: dict[str, Any], field: str
) -> None:
    marker = _marker()
    response = client.post("/notes", json={**payload, "marker": marker})
    _is_validation_error(response, field)


def test_rejected_note_is_not_stored(client: httpx.Client) -> None:
    marker = _marker()
    _create(client, f"{marker} valid")
    client.post("/notes", json={"title": f"{marker} {'x' * 300}"})
    assert _page(client, q=marker)["total"] == 1


def test_title_of_200_characters_is_accepted(client: httpx.Client) -> None:
    note = _create(client, "t" * 200, body="b" * 10_000)
    assert len(note["title"]) == 200


def test_patch_changes_only_the_fields_sent(client: httpx.Client) -> None:
    note = _create(client, "Draft", body="keep me", pinned=True)
    response = client.patch(f"/notes/{note['id']}", json={"title": "Final"})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["title"] == "Final"
    assert changed["body"] == "keep me"
    assert changed["pinned"] is True
    assert changed["id"] == note["id"]


def test_patch_persists(client: httpx.Client) -> None:
    note = _create(client, "Before")
    client.patch(f"/notes/{note['id']}", json={"body": "after", "pinned": True})
    fetched = client.get(f"/notes/{note['id']}").json()
    assert fetched["body"] == "after"
    assert fetched["pinned"] is True
    assert fetched["title"] == "Before"


def test_patch_validates(client: httpx.Client) -> None:
    note = _create(client, "Valid")
    _is_validation_error(
        client.patch(f"/notes/{note['id']}", json={"title": "  "}), "title"
    )
    assert client.get(f"/notes/{note['id']}").json()["title"] == "Valid"


def test_unknown_note_is_404_everywhere(client: httpx.Client) -> None:
    note = _create(client, "Soon gone")
    assert client.delete(f"/notes/{note['id']}").status_code == 204
    for response in (
        client.get(f"/notes/{note['id']}"),
        client.patch(f"/notes/{note['id']}", json={"title": "x"}),
        client.delete(f"/notes/{note['id']}"),
    ):
        assert response.status_code == 404, response.text
        assert isinstance(response.json()["detail"], str)


def test_delete_removes_the_note_from_the_list(client: httpx.Client) -> None:
    marker = _marker()
    keep = _create(client, f"{marker} keep")
    gone = _create(client, f"{marker} gone")
    response = client.delete(f"/notes/{gone['id']}")
    assert response.status_code == 204
    assert not response.content
    page = _page(client, q=marker)
    assert page["total"] == 1
    assert [item["id"] for item in page["items"]] == [keep["id"]]


def test_list_has_the_page_shape_and_defaults(client: httpx.Client) -> None:
    _create(client, "shape")
    page = _page(client)
    assert set(page) >= {"items", "total", "limit", "offset"}
    assert page["limit"] == 20
    assert page["offset"] == 0
    assert page["total"] >= 1
    assert 1 <= len(page["items"]) <= 20


def test_pages_are_exact_and_oldest_first(client: httpx.Client) -> None:
    marker = _marker()
    ids = [_create(client, f"{marker} {number}")["id"] for number in range(5)]
    first = _page(client, q=marker, limit=2, offset=0)
    assert [item["id"] for item in first["items"]] == ids[:2]
    assert first["total"] == 5
    assert (first["limit"], first["offset"]) == (2, 0)
    middle = _page(client, q=marker, limit=2, offset=2)
    assert [item["id"] for item in middle["items"]] == ids[2:4]
    last = _page(client, q=marker, limit=2, offset=4)
    assert [item["id"] for item in last["items"]] == ids[4:]
    assert last["total"] == 5
    beyond = _page(client, q=marker, limit=2, offset=5)
    assert beyond["items"] == []
    assert beyond["total"] == 5


def test_page_size_bounds(client: httpx.Client) -> None:
    marker = _marker()
    for number in range(3):
        _create(client, f"{marker} {number}")
    assert len(_page(client, q=marker, limit=1)["items"]) == 1
    assert _page(client, q=marker, limit=100)["total"] == 3
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}):
        _is_validation_error(client.get("/notes", params=params))


def test_search_ignores_case(client: httpx.Client) -> None:
    marker = _marker()
    _create(client, f"Trip to Rome {marker}")
    _create(client, f"rome museums {marker}")
    _create(client, f"Paris {marker}")
    page = _page(client, q=f"ROME {marker}".split()[0])
    titles = {item["title"] for item in page["items"] if marker in item["title"]}
    assert titles == {f"Trip to Rome {marker}", f"rome museums {marker}"}
    assert _page(client, q=marker.upper())["total"] == 3


def test_search_looks_at_titles_only(client: httpx.Client) -> None:
    marker = _marker()
    _create(client, "Nothing to see", body=f"hidden {marker}")
    titled = _create(client, f"Found {marker}", body="plain")
    page = _page(client, q=marker)
    assert [item["id"] for item in page["items"]] == [titled["id"]]
    assert page["total"] == 1


def test_pinned_filter(client: httpx.Client) -> None:
    marker = _marker()
    pinned = _create(client, f"{marker} a", pinned=True)
    _create(client, f"{marker} b")
    page = _page(client, q=marker, pinned="true")
    assert [item["id"] for item in page["items"]] == [pinned["id"]]
    assert page["total"] == 1
    assert _page(client, q=marker, pinned="false")["total"] == 1


def test_patch_keeps_created_at(client: httpx.Client) -> None:
    note = _create(client, "Clock")
    changed = client.patch(f"/notes/{note['id']}", json={"body": "new"}).json()
    created = datetime.fromisoformat(changed["created_at"])
    updated = datetime.fromisoformat(changed["updated_at"])
    assert changed["created_at"] == note["created_at"]
    assert updated >= created


async def test_concurrent_creates_all_succeed(async_client: httpx.AsyncClient) -> None:
    marker = _marker()
    responses = await asyncio.gather(
        *(
            async_client.post("/notes", json={"title": f"{marker} {number}"})
            for number in range(12)
        )
    )
    assert [response.status_code for response in responses] == [201] * 12
    assert len({response.json()["id"] for response in responses}) == 12
    page = (await async_client.get("/notes", params={"q": marker, "limit": 100})).json()
    assert page["total"] == 12
