import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_create_normalises_recipients(client: AsyncClient) -> None:
    response = await client.post(
        "/campaigns",
        json={
            "subject": "Hi",
            "recipients": ["B@example.com", "a@example.com", "b@EXAMPLE.com"],
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["recipients"] == ["b@example.com", "a@example.com"]
    assert response.json()["status"] == "draft"


async def test_missing_campaign_is_404(client: AsyncClient) -> None:
    response = await client.get("/campaigns/42")
    assert response.status_code == 404
    assert response.json() == {"detail": "campaign 42 not found"}


async def test_list_oldest_first(client: AsyncClient) -> None:
    for subject in ("one", "two"):
        await client.post(
            "/campaigns", json={"subject": subject, "recipients": ["a@example.com"]}
        )
    page = (await client.get("/campaigns", params={"limit": 1, "offset": 1})).json()
    assert page["total"] == 2
    assert [item["subject"] for item in page["items"]] == ["two"]
