from datetime import datetime, timedelta

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def _book(
    client: AsyncClient, starts_at: str, minutes: int = 60, room: str = "r1"
) -> dict[str, object]:
    response = await client.post(
        "/bookings",
        json={
            "room": room,
            "title": "t",
            "starts_at": starts_at,
            "duration_minutes": minutes,
        },
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_times_are_utc_and_elapsed(client: AsyncClient) -> None:
    body = await _book(client, "2026-10-25T01:30:00+02:00", minutes=120)
    starts = datetime.fromisoformat(str(body["starts_at"]))
    ends = datetime.fromisoformat(str(body["ends_at"]))
    assert starts.utcoffset() == timedelta(0)
    assert ends - starts == timedelta(minutes=120)
    local = await client.get(f"/bookings/{body['id']}", params={"tz": "Europe/Berlin"})
    assert local.json()["ends_at"] == "2026-10-25T02:30:00+01:00"


async def test_naive_time_and_unknown_zone_are_422(client: AsyncClient) -> None:
    response = await client.post(
        "/bookings",
        json={
            "room": "r",
            "title": "t",
            "starts_at": "2026-06-01T10:00:00",
            "duration_minutes": 30,
        },
    )
    assert response.status_code == 422
    body = await _book(client, "2026-06-01T10:00:00Z")
    bad = await client.get(f"/bookings/{body['id']}", params={"tz": "Mars/Olympus"})
    assert bad.status_code == 422


async def test_overlap_is_409_across_offsets(client: AsyncClient) -> None:
    await _book(client, "2026-06-01T10:00:00+02:00")
    clash = await client.post(
        "/bookings",
        json={
            "room": "r1",
            "title": "t",
            "starts_at": "2026-06-01T09:30:00+01:00",
            "duration_minutes": 30,
        },
    )
    assert clash.status_code == 409
    await _book(client, "2026-06-01T07:00:00Z")


async def test_local_day_on_a_dst_change(client: AsyncClient) -> None:
    first = await _book(client, "2026-03-28T23:30:00Z", minutes=30)
    last = await _book(client, "2026-03-29T21:30:00Z", minutes=30)
    await _book(client, "2026-03-29T22:30:00Z", minutes=30)
    day = await client.get("/rooms/r1/days/2026-03-29", params={"tz": "Europe/Berlin"})
    assert [item["id"] for item in day.json()["items"]] == [first["id"], last["id"]]
