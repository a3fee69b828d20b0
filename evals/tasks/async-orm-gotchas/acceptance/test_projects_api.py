"""Hidden acceptance tests for async-orm-gotchas: black-box over HTTP."""

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx


def _name(prefix: str = "project") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def _project(client: httpx.Client, name: str | None = None) -> dict[str, Any]:
    response = client.post("/projects", json={"name": name or _name()})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _task(client: httpx.Client, project_id: int, title: str) -> httpx.Response:
    return client.post(f"/projects/{project_id}/tasks", json={"title": title})


def _get(client: httpx.Client, project_id: int) -> dict[str, Any]:
    response = client.get(f"/projects/{project_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# Behaviour that already works in the starter and must keep working.


def test_create_project_returns_it(client: httpx.Client) -> None:
    name = _name()
    response = client.post("/projects", json={"name": f"  {name} "})
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["name"] == name
    assert body["tasks"] == []
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    assert datetime.fromisoformat(body["updated_at"]).tzinfo is not None


def test_duplicate_project_name_is_409(client: httpx.Client) -> None:
    name = _name()
    _project(client, name)
    response = client.post("/projects", json={"name": name})
    assert response.status_code == 409, response.text
    assert isinstance(response.json()["detail"], str)


def test_invalid_input_is_422(client: httpx.Client) -> None:
    project = _project(client)
    for response in (
        client.post("/projects", json={"name": "   "}),
        client.post("/projects", json={"name": "n" * 101}),
        client.post(f"/projects/{project['id']}/tasks", json={"title": ""}),
        client.patch(f"/projects/{project['id']}", json={"name": ""}),
        client.get("/projects", params={"limit": 101}),
    ):
        assert response.status_code == 422, response.request.url


def test_unknown_project_is_404(client: httpx.Client) -> None:
    project = _project(client)
    missing = project["id"] + 100_000
    for response in (
        client.get(f"/projects/{missing}"),
        client.patch(f"/projects/{missing}", json={"name": _name()}),
        _task(client, missing, "orphan"),
    ):
        assert response.status_code == 404, response.request.url
        assert isinstance(response.json()["detail"], str)


def test_rename_to_a_free_name(client: httpx.Client) -> None:
    project = _project(client)
    name = _name("renamed")
    response = client.patch(f"/projects/{project['id']}", json={"name": name})
    assert response.status_code == 200, response.text
    assert response.json()["name"] == name
    assert response.json()["id"] == project["id"]


# The reported bugs.


def test_project_embeds_its_tasks(client: httpx.Client) -> None:
    project = _project(client)
    titles = [f"task {n}" for n in range(3)]
    for title in titles:
        assert _task(client, project["id"], title).status_code == 201
    body = _get(client, project["id"])
    assert [task["title"] for task in body["tasks"]] == titles
    assert all(task["project_id"] == project["id"] for task in body["tasks"])


def test_empty_project_can_be_opened(client: httpx.Client) -> None:
    project = _project(client)
    assert _get(client, project["id"])["tasks"] == []


def test_project_list_embeds_tasks(client: httpx.Client) -> None:
    first, second = _project(client), _project(client)
    _task(client, first["id"], "a")
    _task(client, second["id"], "b")
    _task(client, second["id"], "c")
    total = client.get("/projects", params={"limit": 1}).json()["total"]
    response = client.get("/projects", params={"limit": 2, "offset": total - 2})
    assert response.status_code == 200, response.text
    page = response.json()
    assert [item["id"] for item in page["items"]] == [first["id"], second["id"]]
    assert [[task["title"] for task in item["tasks"]] for item in page["items"]] == [
        ["a"],
        ["b", "c"],
    ]
    assert (page["total"], page["limit"], page["offset"]) == (total, 2, total - 2)


def test_adding_a_task_returns_it(client: httpx.Client) -> None:
    project = _project(client)
    response = _task(client, project["id"], "  Write the plan ")
    assert response.status_code == 201, response.text
    task = response.json()
    assert isinstance(task["id"], int)
    assert task["project_id"] == project["id"]
    assert task["title"] == "Write the plan"
    assert task["done"] is False
    assert datetime.fromisoformat(task["created_at"]).tzinfo is not None


def test_duplicate_task_title_is_409(client: httpx.Client) -> None:
    project = _project(client)
    assert _task(client, project["id"], "Plan").status_code == 201
    response = _task(client, project["id"], "Plan")
    assert response.status_code == 409, response.text
    assert isinstance(response.json()["detail"], str)
    assert [task["title"] for task in _get(client, project["id"])["tasks"]] == ["Plan"]
    assert _task(client, project["id"], "Build").status_code == 201


def test_same_title_in_another_project_is_fine(client: httpx.Client) -> None:
    first, second = _project(client), _project(client)
    assert _task(client, first["id"], "Kick-off").status_code == 201
    assert _task(client, second["id"], "Kick-off").status_code == 201


def test_rename_to_a_taken_name_is_409_and_keeps_the_name(client: httpx.Client) -> None:
    taken = _project(client)
    project = _project(client)
    response = client.patch(f"/projects/{project['id']}", json={"name": taken["name"]})
    assert response.status_code == 409, response.text
    assert isinstance(response.json()["detail"], str)
    assert _get(client, project["id"])["name"] == project["name"]
    assert _get(client, taken["id"])["name"] == taken["name"]


def test_rename_persists_and_keeps_the_tasks(client: httpx.Client) -> None:
    project = _project(client)
    _task(client, project["id"], "keep me")
    name = _name("renamed")
    response = client.patch(f"/projects/{project['id']}", json={"name": name})
    assert response.status_code == 200, response.text
    assert [task["title"] for task in response.json()["tasks"]] == ["keep me"]
    again = _get(client, project["id"])
    assert again["name"] == name
    assert datetime.fromisoformat(again["updated_at"]) >= datetime.fromisoformat(
        project["updated_at"]
    )


async def test_concurrent_duplicate_tasks_give_one_201(
    async_client: httpx.AsyncClient,
) -> None:
    created = await async_client.post("/projects", json={"name": _name()})
    project_id = created.json()["id"]
    responses = await asyncio.gather(
        *(
            async_client.post(f"/projects/{project_id}/tasks", json={"title": "Same"})
            for _ in range(5)
        )
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409, 409, 409, 409], [r.text for r in responses]
    project = (await async_client.get(f"/projects/{project_id}")).json()
    assert [task["title"] for task in project["tasks"]] == ["Same"]


async def test_concurrent_renames_to_one_name(async_client: httpx.AsyncClient) -> None:
    ids = []
    for _ in range(4):
        created = await async_client.post("/projects", json={"name": _name()})
        ids.append(created.json()["id"])
    name = _name("wanted")
    responses = await asyncio.gather(
        *(async_client.patch(f"/projects/{pid}", json={"name": name}) for pid in ids)
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 409, 409, 409], [r.text for r in responses]
    winner = ids[[r.status_code for r in responses].index(200)]
    names = [(await async_client.get(f"/projects/{pid}")).json()["name"] for pid in ids]
    assert names.count(name) == 1
    assert names[ids.index(winner)] == name
