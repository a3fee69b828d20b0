"""Hidden acceptance tests for timezone-appointments: black-box over HTTP.

Every test books a room of its own, so overlaps and schedules only see its bookings.
Times are compared as instants (``datetime.fromisoformat``) unless the test is about how
they are written.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest


def _room() -> str:
    return f"room-{uuid.uuid4().hex[:10]}"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _post(
    client: httpx.Client, room: str, starts_at: str, minutes: int = 60
) -> httpx.Response:
    return client.post(
        "/bookings",
        json={
            "room": room,
            "title": "Sync",
            "starts_at": starts_at,
            "duration_minutes": minutes,
        },
    )


def _book(
    client: httpx.Client, room: str, starts_at: str, minutes: int = 60
) -> dict[str, Any]:
    response = _post(client, room, starts_at, minutes)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _day(client: httpx.Client, room: str, day: str, tz: str) -> dict[str, Any]:
    response = client.get(f"/rooms/{room}/days/{day}", params={"tz": tz})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_booking_is_returned_in_utc(client: httpx.Client) -> None:
    room = _room()
    body = _book(client, room, "2026-06-01T10:00:00+02:00", 45)
    assert isinstance(body["id"], int)
    assert (body["room"], body["title"], body["duration_minutes"]) == (room, "Sync", 45)
    starts, ends = _at(body["starts_at"]), _at(body["ends_at"])
    assert starts == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert starts.utcoffset() == timedelta(0)
    assert ends == datetime(2026, 6, 1, 8, 45, tzinfo=UTC)
    assert ends.utcoffset() == timedelta(0)
    assert _at(body["created_at"]).tzinfo is not None


def test_booking_persists_as_the_same_instant(client: httpx.Client) -> None:
    body = _book(client, _room(), "2026-01-15T09:15:00-05:00")
    again = client.get(f"/bookings/{body['id']}")
    assert again.status_code == 200
    assert _at(again.json()["starts_at"]) == datetime(2026, 1, 15, 14, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "starts", "ends"),
    [
        ("Europe/Berlin", "2026-06-01T10:00:00+02:00", "2026-06-01T11:00:00+02:00"),
        ("Europe/Lisbon", "2026-06-01T09:00:00+01:00", "2026-06-01T10:00:00+01:00"),
        ("America/New_York", "2026-06-01T04:00:00-04:00", "2026-06-01T05:00:00-04:00"),
        ("UTC", "2026-06-01T08:00:00+00:00", "2026-06-01T09:00:00+00:00"),
    ],
)
def test_times_are_shown_in_the_requested_zone(
    client: httpx.Client, tz: str, starts: str, ends: str
) -> None:
    body = _book(client, _room(), "2026-06-01T08:00:00Z")
    response = client.get(f"/bookings/{body['id']}", params={"tz": tz})
    assert response.status_code == 200, response.text
    shown = response.json()
    assert shown["starts_at"].replace("Z", "+00:00") == starts
    assert shown["ends_at"].replace("Z", "+00:00") == ends
    assert _at(shown["created_at"]) == _at(body["created_at"])


def test_offsets_follow_daylight_saving(client: httpx.Client) -> None:
    winter = _book(client, _room(), "2026-01-10T12:00:00Z")
    summer = _book(client, _room(), "2026-07-10T12:00:00Z")
    params = {"tz": "Europe/Berlin"}
    shown_winter = client.get(f"/bookings/{winter['id']}", params=params).json()
    shown_summer = client.get(f"/bookings/{summer['id']}", params=params).json()
    assert shown_winter["starts_at"] == "2026-01-10T13:00:00+01:00"
    assert shown_summer["starts_at"] == "2026-07-10T14:00:00+02:00"


def test_duration_is_elapsed_time_across_a_clock_change(client: httpx.Client) -> None:
    body = _book(client, _room(), "2026-10-25T01:30:00+02:00", 120)
    assert _at(body["ends_at"]) - _at(body["starts_at"]) == timedelta(minutes=120)
    shown = client.get(f"/bookings/{body['id']}", params={"tz": "Europe/Berlin"}).json()
    assert shown["starts_at"] == "2026-10-25T01:30:00+02:00"
    assert shown["ends_at"] == "2026-10-25T02:30:00+01:00"


@pytest.mark.parametrize(
    "starts_at", ["2026-06-01T10:00:00", "2026-06-01", "10:00", "not a time"]
)
def test_times_without_an_offset_are_422(client: httpx.Client, starts_at: str) -> None:
    room = _room()
    response = _post(client, room, starts_at)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_invalid_bookings_are_422(client: httpx.Client) -> None:
    room = _room()
    for body in (
        {
            "room": room,
            "title": "t",
            "starts_at": "2026-06-01T10:00:00Z",
            "duration_minutes": 4,
        },
        {
            "room": room,
            "title": "t",
            "starts_at": "2026-06-01T10:00:00Z",
            "duration_minutes": 481,
        },
        {
            "room": room,
            "title": "",
            "starts_at": "2026-06-01T10:00:00Z",
            "duration_minutes": 30,
        },
        {
            "room": "",
            "title": "t",
            "starts_at": "2026-06-01T10:00:00Z",
            "duration_minutes": 30,
        },
    ):
        assert client.post("/bookings", json=body).status_code == 422, body


def test_unknown_zone_is_422(client: httpx.Client) -> None:
    room = _room()
    body = _book(client, room, "2026-06-01T08:00:00Z")
    for response in (
        client.get(f"/bookings/{body['id']}", params={"tz": "Mars/Olympus_Mons"}),
        client.get(f"/rooms/{room}/days/2026-06-01", params={"tz": "Not/AZone"}),
        client.get(
            "/bookings",
            params={
                "room": room,
                "start": "2026-06-01T00:00:00Z",
                "end": "2026-06-02T00:00:00Z",
                "tz": "Europe/Atlantis",
            },
        ),
    ):
        assert response.status_code == 422, response.request.url


def test_overlaps_are_409_whatever_the_offsets(client: httpx.Client) -> None:
    room = _room()
    _book(client, room, "2026-06-01T10:00:00+02:00")
    for starts_at, minutes in (
        ("2026-06-01T08:30:00Z", 15),
        ("2026-06-01T09:30:00+01:00", 60),
        ("2026-06-01T04:50:00-03:00", 30),
        ("2026-06-01T07:00:00Z", 240),
    ):
        response = _post(client, room, starts_at, minutes)
        assert response.status_code == 409, (starts_at, response.text)
        assert isinstance(response.json()["detail"], str)


def test_back_to_back_bookings_are_allowed(client: httpx.Client) -> None:
    room = _room()
    _book(client, room, "2026-06-01T10:00:00+02:00")
    assert _post(client, room, "2026-06-01T07:00:00Z").status_code == 201
    assert _post(client, room, "2026-06-01T11:00:00+02:00").status_code == 201
    assert _post(client, _room(), "2026-06-01T08:00:00Z").status_code == 201


def test_a_cancelled_booking_frees_the_room(client: httpx.Client) -> None:
    room = _room()
    body = _book(client, room, "2026-06-01T08:00:00Z")
    assert client.delete(f"/bookings/{body['id']}").status_code == 204
    for response in (
        client.get(f"/bookings/{body['id']}"),
        client.delete(f"/bookings/{body['id']}"),
    ):
        assert response.status_code == 404
        assert isinstance(response.json()["detail"], str)
    assert _post(client, room, "2026-06-01T08:30:00Z").status_code == 201


def test_range_lists_overlapping_bookings_in_order(client: httpx.Client) -> None:
    room = _room()
    early = _book(client, room, "2026-06-01T07:30:00Z", 60)
    late = _book(client, room, "2026-06-01T12:00:00Z", 30)
    middle = _book(client, room, "2026-06-01T11:00:00+02:00", 60)
    _book(client, room, "2026-06-01T13:00:00Z", 30)
    response = client.get(
        "/bookings",
        params={
            "room": room,
            "start": "2026-06-01T10:00:00+02:00",
            "end": "2026-06-01T13:00:00Z",
            "tz": "Europe/Berlin",
        },
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert [item["id"] for item in page["items"]] == [
        early["id"],
        middle["id"],
        late["id"],
    ]
    assert page["total"] == 3
    assert page["items"][0]["starts_at"] == "2026-06-01T09:30:00+02:00"


def test_range_needs_offsets_and_order(client: httpx.Client) -> None:
    room = _room()
    _book(client, room, "2026-06-01T08:00:00Z")
    naive = client.get(
        "/bookings",
        params={
            "room": room,
            "start": "2026-06-01T00:00:00",
            "end": "2026-06-02T00:00:00Z",
        },
    )
    assert naive.status_code == 422
    backwards = client.get(
        "/bookings",
        params={
            "room": room,
            "start": "2026-06-02T00:00:00Z",
            "end": "2026-06-01T00:00:00Z",
        },
    )
    assert backwards.status_code == 422
    assert isinstance(backwards.json()["detail"], str)


def test_range_pages(client: httpx.Client) -> None:
    room = _room()
    ids = [
        _book(client, room, f"2026-06-01T{hour:02d}:00:00Z")["id"]
        for hour in range(8, 13)
    ]
    params = {
        "room": room,
        "start": "2026-06-01T00:00:00Z",
        "end": "2026-06-02T00:00:00Z",
    }
    page = client.get("/bookings", params={**params, "limit": 2, "offset": 2}).json()
    assert [item["id"] for item in page["items"]] == ids[2:4]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert client.get("/bookings", params={**params, "limit": 101}).status_code == 422


def test_local_day_uses_local_midnights(client: httpx.Client) -> None:
    room = _room()
    before = _book(client, room, "2026-06-01T21:30:00Z", 30)
    inside = _book(client, room, "2026-06-01T22:30:00Z", 30)
    _book(client, room, "2026-06-02T22:00:00Z", 30)
    day = _day(client, room, "2026-06-02", "Europe/Berlin")
    assert (day["room"], day["date"], day["tz"]) == (
        room,
        "2026-06-02",
        "Europe/Berlin",
    )
    assert [item["id"] for item in day["items"]] == [inside["id"]]
    assert day["items"][0]["starts_at"] == "2026-06-02T00:30:00+02:00"
    utc_day = _day(client, room, "2026-06-01", "UTC")
    assert [item["id"] for item in utc_day["items"]] == [before["id"], inside["id"]]


def test_local_day_is_23_hours_when_clocks_go_forward(client: httpx.Client) -> None:
    room = _room()
    first = _book(client, room, "2026-03-28T23:30:00Z", 30)
    last = _book(client, room, "2026-03-29T21:30:00Z", 30)
    next_day = _book(client, room, "2026-03-29T22:30:00Z", 30)
    day = _day(client, room, "2026-03-29", "Europe/Berlin")
    assert [item["id"] for item in day["items"]] == [first["id"], last["id"]]
    assert day["items"][0]["starts_at"] == "2026-03-29T00:30:00+01:00"
    assert day["items"][1]["starts_at"] == "2026-03-29T23:30:00+02:00"
    following = _day(client, room, "2026-03-30", "Europe/Berlin")
    assert [item["id"] for item in following["items"]] == [next_day["id"]]


def test_local_day_is_25_hours_when_clocks_go_back(client: httpx.Client) -> None:
    room = _room()
    first = _book(client, room, "2026-11-01T00:30:00-04:00", 30)
    last = _book(client, room, "2026-11-01T23:45:00-05:00", 10)
    _book(client, room, "2026-11-02T00:15:00-05:00", 10)
    _book(client, room, "2026-10-31T23:45:00-04:00", 10)
    day = _day(client, room, "2026-11-01", "America/New_York")
    assert [item["id"] for item in day["items"]] == [first["id"], last["id"]]
    assert day["items"][0]["starts_at"] == "2026-11-01T00:30:00-04:00"
    assert day["items"][1]["starts_at"] == "2026-11-01T23:45:00-05:00"
