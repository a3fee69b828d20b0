"""Hidden acceptance tests for patch-null-semantics: black-box over HTTP."""

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

FULL = {
    "description": "Quarterly numbers",
    "due_on": "2026-07-01",
    "assignee_email": "Ann.Lee@Example.com",
    "priority": 5,
    "done": False,
}


def _create(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"title": f"Report {uuid.uuid4().hex[:6]}", **fields}
    response = client.post("/todos", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _patch(
    client: httpx.Client, todo: dict[str, Any], body: dict[str, Any]
) -> httpx.Response:
    return client.patch(f"/todos/{todo['id']}", json=body)


def _stored(client: httpx.Client, todo: dict[str, Any]) -> dict[str, Any]:
    response = client.get(f"/todos/{todo['id']}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _same_except(before: dict[str, Any], after: dict[str, Any], *changed: str) -> None:
    skip = {"updated_at", *changed}
    assert {k: v for k, v in before.items() if k not in skip} == {
        k: v for k, v in after.items() if k not in skip
    }


def test_create_applies_defaults(client: httpx.Client) -> None:
    response = client.post("/todos", json={"title": "  Buy milk  "})
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["title"] == "Buy milk"
    assert (body["description"], body["due_on"], body["assignee_email"]) == (
        None,
        None,
        None,
    )
    assert (body["priority"], body["done"]) == (3, False)
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert datetime.fromisoformat(body["updated_at"]).tzinfo is not None


def test_create_with_every_field(client: httpx.Client) -> None:
    todo = _create(client, **FULL)
    assert todo["assignee_email"] == "ann.lee@example.com"
    assert todo["due_on"] == "2026-07-01"
    assert _stored(client, todo) == todo


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "   "},
        {"title": "t" * 201},
        {"title": "ok", "priority": 0},
        {"title": "ok", "priority": 6},
        {"title": "ok", "assignee_email": "not-an-address"},
        {"title": "ok", "due_on": "tomorrow"},
        {"title": "ok", "description": "d" * 2001},
        {"title": "ok", "colour": "red"},
    ],
    ids=[
        "no-title",
        "blank-title",
        "long-title",
        "priority-0",
        "priority-6",
        "bad-email",
        "bad-date",
        "long-description",
        "unknown-field",
    ],
)
def test_invalid_create_is_422(client: httpx.Client, body: dict[str, Any]) -> None:
    response = client.post("/todos", json=body)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_patch_changes_only_the_fields_sent(client: httpx.Client) -> None:
    todo = _create(client, **FULL)
    response = _patch(client, todo, {"done": True})
    assert response.status_code == 200, response.text
    assert response.json()["done"] is True
    _same_except(todo, response.json(), "done")
    _same_except(todo, _stored(client, todo), "done")


def test_patch_of_several_fields(client: httpx.Client) -> None:
    todo = _create(client, **FULL)
    response = _patch(
        client, todo, {"priority": 1, "title": " Renamed ", "due_on": "2026-08-02"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["priority"], body["title"], body["due_on"]) == (
        1,
        "Renamed",
        "2026-08-02",
    )
    _same_except(todo, body, "priority", "title", "due_on")


@pytest.mark.parametrize("field", ["description", "due_on", "assignee_email"])
def test_null_clears_a_nullable_field(client: httpx.Client, field: str) -> None:
    todo = _create(client, **FULL)
    response = _patch(client, todo, {field: None})
    assert response.status_code == 200, response.text
    assert response.json()[field] is None
    _same_except(todo, response.json(), field)
    assert _stored(client, todo)[field] is None


@pytest.mark.parametrize("field", ["title", "priority", "done"])
def test_null_for_a_required_field_is_422(client: httpx.Client, field: str) -> None:
    todo = _create(client, **FULL)
    response = _patch(client, todo, {field: None})
    assert response.status_code == 422, response.text
    assert _stored(client, todo) == todo


def test_invalid_patch_changes_nothing(client: httpx.Client) -> None:
    todo = _create(client, **FULL)
    for body in (
        {"priority": 9},
        {"title": ""},
        {"colour": "red"},
        {"description": None, "priority": 0},
        {"assignee_email": "nope"},
    ):
        assert _patch(client, todo, body).status_code == 422, body
    assert _stored(client, todo) == todo


def test_empty_patch_changes_nothing(client: httpx.Client) -> None:
    todo = _create(client, **FULL)
    response = _patch(client, todo, {})
    assert response.status_code == 200, response.text
    _same_except(todo, response.json())


def test_patch_bumps_updated_at_only(client: httpx.Client) -> None:
    todo = _create(client)
    body = _patch(client, todo, {"description": "now with details"}).json()
    assert body["created_at"] == todo["created_at"]
    assert datetime.fromisoformat(body["updated_at"]) > datetime.fromisoformat(
        todo["updated_at"]
    )


def test_put_replaces_everything(client: httpx.Client) -> None:
    todo = _create(client, **{**FULL, "done": True})
    response = client.put(f"/todos/{todo['id']}", json={"title": "Fresh start"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["title"] == "Fresh start"
    assert (body["description"], body["due_on"], body["assignee_email"]) == (
        None,
        None,
        None,
    )
    assert (body["priority"], body["done"]) == (3, False)
    assert body["id"] == todo["id"]
    assert body["created_at"] == todo["created_at"]
    assert _stored(client, todo) == body


def test_put_is_validated_like_create(client: httpx.Client) -> None:
    todo = _create(client, **FULL)
    for body in (
        {},
        {"description": "no title"},
        {"title": "ok", "priority": None},
        {"title": "ok", "x": 1},
    ):
        response = client.put(f"/todos/{todo['id']}", json=body)
        assert response.status_code == 422, body
    assert _stored(client, todo) == todo


def test_unknown_todo_is_404(client: httpx.Client) -> None:
    todo = _create(client)
    assert client.delete(f"/todos/{todo['id']}").status_code == 204
    for response in (
        client.get(f"/todos/{todo['id']}"),
        client.patch(f"/todos/{todo['id']}", json={"done": True}),
        client.put(f"/todos/{todo['id']}", json={"title": "x"}),
        client.delete(f"/todos/{todo['id']}"),
    ):
        assert response.status_code == 404, response.request.method
        assert isinstance(response.json()["detail"], str)


def test_list_is_paged_oldest_first(client: httpx.Client) -> None:
    ids = [_create(client)["id"] for _ in range(3)]
    total = client.get("/todos").json()["total"]
    page = client.get("/todos", params={"limit": 2, "offset": total - 3}).json()
    assert [item["id"] for item in page["items"]] == ids[:2]
    assert (page["total"], page["limit"], page["offset"]) == (total, 2, total - 3)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/todos", params=params).status_code == 422


def test_patched_email_is_lower_cased(client: httpx.Client) -> None:
    todo = _create(client)
    response = _patch(client, todo, {"assignee_email": "Bob.Stone@Example.COM"})
    assert response.status_code == 200, response.text
    assert response.json()["assignee_email"] == "bob.stone@example.com"
    assert _stored(client, todo)["assignee_email"] == "bob.stone@example.com"
