import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_create_project(client: AsyncClient) -> None:
    response = await client.post("/projects", json={"name": " Launch "})
    assert response.status_code == 201
    assert response.json()["name"] == "Launch"
    assert response.json()["tasks"] == []


async def test_duplicate_project_name_is_409(client: AsyncClient) -> None:
    assert (await client.post("/projects", json={"name": "A"})).status_code == 201
    assert (await client.post("/projects", json={"name": "A"})).status_code == 409
