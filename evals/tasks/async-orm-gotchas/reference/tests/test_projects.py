import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _project(client: AsyncClient, name: str) -> int:
    response = await client.post("/projects", json={"name": name})
    assert response.status_code == 201, response.text
    project_id: int = response.json()["id"]
    return project_id


async def test_project_embeds_its_tasks(client: AsyncClient) -> None:
    project_id = await _project(client, "Launch")
    for title in ("Plan", "Build"):
        response = await client.post(
            f"/projects/{project_id}/tasks", json={"title": title}
        )
        assert response.status_code == 201
        assert response.json()["title"] == title
    body = (await client.get(f"/projects/{project_id}")).json()
    assert [task["title"] for task in body["tasks"]] == ["Plan", "Build"]
    listing = (await client.get("/projects")).json()
    assert len(listing["items"][0]["tasks"]) == 2


async def test_duplicate_task_title_is_409(client: AsyncClient) -> None:
    project_id = await _project(client, "Launch")
    await client.post(f"/projects/{project_id}/tasks", json={"title": "Plan"})
    again = await client.post(f"/projects/{project_id}/tasks", json={"title": "Plan"})
    assert again.status_code == 409


async def test_rename_to_a_taken_name_is_409_and_changes_nothing(
    client: AsyncClient,
) -> None:
    await _project(client, "Alpha")
    beta = await _project(client, "Beta")
    response = await client.patch(f"/projects/{beta}", json={"name": "Alpha"})
    assert response.status_code == 409
    assert (await client.get(f"/projects/{beta}")).json()["name"] == "Beta"
    renamed = await client.patch(f"/projects/{beta}", json={"name": "Gamma"})
    assert renamed.json()["name"] == "Gamma"
