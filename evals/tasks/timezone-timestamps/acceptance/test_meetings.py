"""Hidden acceptance tests for timezone-timestamps: black-box over HTTP.

Range tests use a year no other test uses, so only their own meetings match.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

_years = itertools.count(random.randint(2100, 5000) * 2)  # noqa: S311 - not security


def _year() -> int:
    return next(_years) % 7000 + 2100


def _book(
    client: httpx.Client, starts_at: str, ends_at: str, title: str = "sync"
) -> dict[str, Any]:
    response = client.post(
        "/meetings", json={"title": title, "starts_at": starts_at, "ends_at": ends_at}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _find(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/meetings", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_offsets_are_returned_in_utc_with_z(client: httpx.Client) -> None:
    meeting = _book(
        client, "2031-03-10T09:00:00+01:00", "2031-03-10T10:30:00+01:00", "Berlin"
    )
    assert isinstance(meeting["id"], int)
    assert meeting["title"] == "Berlin"
    assert meeting["starts_at"] == "2031-03-10T08:00:00Z"
    assert meeting["ends_at"] == "2031-03-10T09:30:00Z"


@pytest.mark.parametrize(
    ("starts_at", "expected"),
    [
        ("2031-03-10T03:00:00-05:00", "2031-03-10T08:00:00Z"),
        ("2031-03-10T13:30:00+05:30", "2031-03-10T08:00:00Z"),
        ("2031-03-10T08:00:00Z", "2031-03-10T08:00:00Z"),
        ("2031-03-11T02:00:00+09:00", "2031-03-10T17:00:00Z"),
    ],
    ids=["new-york", "kolkata", "utc", "tokyo-previous-utc-day"],
)
def test_any_offset_is_the_same_instant(
    client: httpx.Client, starts_at: str, expected: str
) -> None:
    meeting = _book(client, starts_at, "2031-03-12T00:00:00Z")
    assert meeting["starts_at"] == expected


def test_stored_meeting_keeps_the_instant(client: httpx.Client) -> None:
    meeting = _book(client, "2031-07-01T18:00:00+02:00", "2031-07-01T19:00:00+02:00")
    fetched = client.get(f"/meetings/{meeting['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == meeting
    assert fetched.json()["starts_at"] == "2031-07-01T16:00:00Z"


def test_created_at_is_now_in_utc(client: httpx.Client) -> None:
    meeting = _book(client, "2031-01-01T10:00:00Z", "2031-01-01T11:00:00Z")
    assert meeting["created_at"].endswith("Z"), meeting["created_at"]
    created = datetime.fromisoformat(meeting["created_at"])
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)


def test_unknown_meeting_is_404(client: httpx.Client) -> None:
    meeting = _book(client, "2031-01-01T10:00:00Z", "2031-01-01T11:00:00Z")
    response = client.get(f"/meetings/{meeting['id'] + 1_000_000}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2031-03-10T09:00:00", "2031-03-10T10:00:00+01:00"),
        ("2031-03-10T09:00:00+01:00", "2031-03-10T10:00:00"),
        ("next tuesday", "2031-03-10T10:00:00Z"),
    ],
    ids=["naive-start", "naive-end", "not-a-date"],
)
def test_timestamps_without_an_offset_are_422(
    client: httpx.Client, starts_at: str, ends_at: str
) -> None:
    response = client.post(
        "/meetings", json={"title": "t", "starts_at": starts_at, "ends_at": ends_at}
    )
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_end_at_the_same_instant_as_the_start_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/meetings",
        json={
            "title": "t",
            "starts_at": "2031-03-10T10:00:00+01:00",
            "ends_at": "2031-03-10T09:00:00Z",
        },
    )
    assert response.status_code == 422, response.text


def test_end_is_compared_as_an_instant_not_a_wall_clock(client: httpx.Client) -> None:
    # 10:00 in Paris (summer, +02:00) is 08:00Z; 09:30 in London (+01:00) is 08:30Z: later.
    meeting = _book(client, "2031-07-01T10:00:00+02:00", "2031-07-01T09:30:00+01:00")
    assert meeting["starts_at"] == "2031-07-01T08:00:00Z"
    assert meeting["ends_at"] == "2031-07-01T08:30:00Z"


def test_range_is_compared_in_instants(client: httpx.Client) -> None:
    year = _year()
    tokyo = _book(
        client, f"{year}-01-02T08:00:00+09:00", f"{year}-01-02T09:00:00+09:00"
    )
    new_york = _book(
        client, f"{year}-01-01T22:00:00-05:00", f"{year}-01-01T23:00:00-05:00"
    )
    found = _find(
        client, start=f"{year}-01-01T23:00:00Z", end=f"{year}-01-02T01:00:00+01:00"
    )
    assert [item["id"] for item in found["items"]] == [tokyo["id"]]
    assert found["total"] == 1
    later = _find(
        client, start=f"{year}-01-02T03:00:00+00:00", end=f"{year}-01-02T05:00:00+01:00"
    )
    assert [item["id"] for item in later["items"]] == [new_york["id"]]


def test_range_start_is_inclusive_and_end_exclusive(client: httpx.Client) -> None:
    year = _year()
    at_start = _book(client, f"{year}-05-05T10:00:00Z", f"{year}-05-05T11:00:00Z")
    _book(client, f"{year}-05-05T14:00:00+02:00", f"{year}-05-05T15:00:00+02:00")
    found = _find(
        client, start=f"{year}-05-05T12:00:00+02:00", end=f"{year}-05-05T12:00:00Z"
    )
    assert [item["id"] for item in found["items"]] == [at_start["id"]]


def test_meetings_are_listed_by_start_instant(client: httpx.Client) -> None:
    year = _year()
    utc = _book(client, f"{year}-09-09T06:00:00Z", f"{year}-09-09T07:00:00Z")
    new_york = _book(
        client, f"{year}-09-09T01:00:00-05:00", f"{year}-09-09T02:00:00-05:00"
    )
    kolkata = _book(
        client, f"{year}-09-09T09:00:00+05:30", f"{year}-09-09T10:00:00+05:30"
    )
    found = _find(
        client, start=f"{year}-09-09T00:00:00Z", end=f"{year}-09-10T00:00:00Z"
    )
    # Booked in another order; 03:30Z, 06:00Z, 06:00Z: equal starts are ordered by id.
    assert [item["id"] for item in found["items"]] == [
        kolkata["id"],
        utc["id"],
        new_york["id"],
    ]
    assert [item["starts_at"] for item in found["items"]] == [
        f"{year}-09-09T03:30:00Z",
        f"{year}-09-09T06:00:00Z",
        f"{year}-09-09T06:00:00Z",
    ]


def test_range_pages_count_every_match(client: httpx.Client) -> None:
    year = _year()
    ids = [
        _book(
            client,
            f"{year}-02-0{day}T12:00:00+01:00",
            f"{year}-02-0{day}T13:00:00+01:00",
        )["id"]
        for day in range(1, 5)
    ]
    page = _find(
        client,
        start=f"{year}-01-01T00:00:00Z",
        end=f"{year + 1}-01-01T00:00:00Z",
        limit=2,
        offset=1,
    )
    assert page["total"] == 4
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [item["id"] for item in page["items"]] == ids[1:3]


def test_naive_range_bound_is_422(client: httpx.Client) -> None:
    _book(client, "2031-01-01T10:00:00Z", "2031-01-01T11:00:00Z")
    for params in (
        {"start": "2031-01-01T00:00:00"},
        {"end": "2031-01-02T00:00:00"},
        {"limit": 0},
    ):
        response = client.get("/meetings", params=params)
        assert response.status_code == 422, params
