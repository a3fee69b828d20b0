import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _book(client: AsyncClient, starts: str, ends: str) -> dict[str, object]:
    response = await client.post(
        "/meetings", json={"title": "m", "starts_at": starts, "ends_at": ends}
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_offsets_become_utc(client: AsyncClient) -> None:
    meeting = await _book(
        client, "2030-01-01T09:00:00+01:00", "2030-01-01T10:30:00+01:00"
    )
    assert meeting["starts_at"] == "2030-01-01T08:00:00Z"
    fetched = (await client.get(f"/meetings/{meeting['id']}")).json()
    assert fetched["ends_at"] == "2030-01-01T09:30:00Z"


async def test_naive_time_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/meetings",
        json={
            "title": "m",
            "starts_at": "2030-01-01T09:00:00",
            "ends_at": "2030-01-01T10:00:00Z",
        },
    )
    assert response.status_code == 422


async def test_range_compares_instants(client: AsyncClient) -> None:
    tokyo = await _book(
        client, "2030-01-02T08:00:00+09:00", "2030-01-02T09:00:00+09:00"
    )
    await _book(client, "2030-01-01T22:00:00-05:00", "2030-01-01T23:00:00-05:00")
    page = await client.get(
        "/meetings",
        params={"start": "2030-01-01T23:00:00Z", "end": "2030-01-02T01:00:00+01:00"},
    )
    assert [item["id"] for item in page.json()["items"]] == [tokyo["id"]]
