"""Meetup events and registrations, black-box: what works today and the reported bugs."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import httpx


def new_event(
    client: httpx.Client, *, capacity: int = 10, starts_at: str = "2031-06-01T18:00:00Z"
) -> dict:
    response = client.post(
        "/events",
        json={"title": f"Meetup {uuid.uuid4().hex[:6]}", "starts_at": starts_at,
              "capacity": capacity},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


def register(client: httpx.Client, event_id: int, email: str | None = None) -> httpx.Response:
    return client.post(
        f"/events/{event_id}/registrations",
        json={"email": email or f"p{uuid.uuid4().hex[:8]}@example.org", "name": "Ann Lee"},
    )


def instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is not None, text
    return value


def unique_year() -> int:
    return random.randint(1000, 1899)


# What works today (the starter passes these).


def test_create_event_returns_it(client: httpx.Client) -> None:
    response = client.post(
        "/events",
        json={"title": "Python night", "starts_at": "2031-06-01T18:30:00Z", "capacity": 40},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["title"] == "Python night"
    assert body["capacity"] == 40
    assert body["seats_left"] == 40
    assert instant(body["starts_at"]) == datetime(2031, 6, 1, 18, 30, tzinfo=UTC)
    instant(body["created_at"])


def test_event_persists(client: httpx.Client) -> None:
    event = new_event(client, capacity=7)
    again = client.get(f"/events/{event['id']}")
    assert again.status_code == 200
    assert again.json()["title"] == event["title"]
    assert again.json()["capacity"] == 7


def test_invalid_event_is_422(client: httpx.Client) -> None:
    good = {"title": "T", "starts_at": "2031-06-01T18:00:00Z", "capacity": 5}
    for change in (
        {"capacity": 0},
        {"title": ""},
        {"starts_at": "2031-06-01T18:00:00"},
        {"starts_at": "tomorrow"},
    ):
        response = client.post("/events", json={**good, **change})
        assert response.status_code == 422, change
        assert isinstance(response.json()["detail"], list)


def test_missing_event_is_404(client: httpx.Client) -> None:
    response = client.get("/events/99999999")
    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"
    assert isinstance(response.json()["detail"], str)


def test_events_are_listed_soonest_first(client: httpx.Client) -> None:
    year = unique_year()
    ids = {
        day: new_event(client, starts_at=f"{year}-03-0{day}T09:00:00Z")["id"]
        for day in (3, 1, 2)
    }
    listing = client.get("/events", params={"limit": 100, "offset": 0}).json()
    assert listing["limit"] == 100
    assert listing["offset"] == 0
    mine = [item["id"] for item in listing["items"] if item["id"] in ids.values()]
    assert mine == [ids[1], ids[2], ids[3]]
    assert listing["total"] >= 3


def test_event_page_bounds_are_422(client: httpx.Client) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get("/events", params=params).status_code == 422


def test_register_returns_the_registration(client: httpx.Client) -> None:
    event = new_event(client)
    response = register(client, event["id"], "ann.lee@example.org")
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["event_id"] == event["id"]
    assert body["email"] == "ann.lee@example.org"
    assert body["name"] == "Ann Lee"
    instant(body["created_at"])


def test_registration_takes_a_seat(client: httpx.Client) -> None:
    event = new_event(client, capacity=5, starts_at=f"{unique_year()}-01-01T00:00:00Z")
    assert register(client, event["id"]).status_code == 201
    assert register(client, event["id"]).status_code == 201
    assert client.get(f"/events/{event['id']}").json()["seats_left"] == 3
    listing = client.get("/events", params={"limit": 100, "offset": 0}).json()
    listed = [item for item in listing["items"] if item["id"] == event["id"]]
    assert [item["seats_left"] for item in listed] == [3]


def test_invalid_registration_is_422(client: httpx.Client) -> None:
    event = new_event(client)
    for payload in ({"email": "not-an-email", "name": "A"},
                    {"email": "a@example.org", "name": ""}, {"name": "A"}):  # fmt: skip
        response = client.post(f"/events/{event['id']}/registrations", json=payload)
        assert response.status_code == 422, payload
        assert isinstance(response.json()["detail"], list)


def test_registration_for_a_missing_event_is_404(client: httpx.Client) -> None:
    response = register(client, 99999999)
    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"


def test_same_email_twice_is_409(client: httpx.Client) -> None:
    event = new_event(client)
    assert register(client, event["id"], "twice@example.org").status_code == 201
    response = register(client, event["id"], "twice@example.org")
    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"


def test_registrations_are_listed_oldest_first(client: httpx.Client) -> None:
    event = new_event(client)
    emails = [f"r{n}-{uuid.uuid4().hex[:6]}@example.org" for n in range(3)]
    for email in emails:
        assert register(client, event["id"], email).status_code == 201
    page = client.get(
        f"/events/{event['id']}/registrations", params={"limit": 2, "offset": 1}
    ).json()
    assert page["total"] == 3
    assert [item["email"] for item in page["items"]] == emails[1:]


def test_cancelling_an_unknown_registration_is_404(client: httpx.Client) -> None:
    event = new_event(client)
    response = client.delete(f"/events/{event['id']}/registrations/99999999")
    assert response.status_code == 404
    assert response.json()["code"] == "registration_not_found"
    other = new_event(client)
    registration = register(client, other["id"]).json()
    wrong = client.delete(f"/events/{event['id']}/registrations/{registration['id']}")
    assert wrong.status_code == 404
    assert wrong.json()["code"] == "registration_not_found"
    listing = client.get(f"/events/{other['id']}/registrations").json()
    assert [item["id"] for item in listing["items"]] == [registration["id"]]


# The reported bugs.


def test_event_takes_exactly_its_capacity(client: httpx.Client) -> None:
    event = new_event(client, capacity=2)
    assert register(client, event["id"]).status_code == 201
    assert register(client, event["id"]).status_code == 201
    response = register(client, event["id"])
    assert response.status_code == 409
    assert response.json()["code"] == "event_full"
    assert client.get(f"/events/{event['id']}").json()["seats_left"] == 0
    listing = client.get(f"/events/{event['id']}/registrations").json()
    assert listing["total"] == 2


def test_later_pages_continue_where_the_previous_ended(client: httpx.Client) -> None:
    year = unique_year()
    ids = [new_event(client, starts_at=f"{year}-05-0{day}T09:00:00Z")["id"]
           for day in range(1, 6)]  # fmt: skip
    everything = client.get("/events", params={"limit": 100, "offset": 0}).json()
    first = [item["id"] for item in everything["items"]].index(ids[0])
    page = client.get("/events", params={"limit": 2, "offset": first + 2}).json()
    assert [item["id"] for item in page["items"]] == ids[2:4]
    assert page["offset"] == first + 2
    last = client.get("/events", params={"limit": 3, "offset": first + 4}).json()
    assert [item["id"] for item in last["items"]][:1] == ids[4:]


def test_cancelling_frees_the_seat(client: httpx.Client) -> None:
    event = new_event(client, capacity=1)
    email = f"c{uuid.uuid4().hex[:8]}@example.org"
    registration = register(client, event["id"], email).json()
    cancel = client.delete(f"/events/{event['id']}/registrations/{registration['id']}")
    assert cancel.status_code == 204
    assert client.get(f"/events/{event['id']}").json()["seats_left"] == 1
    listing = client.get(f"/events/{event['id']}/registrations").json()
    assert listing["items"] == []
    assert register(client, event["id"], email).status_code == 201


def test_emails_are_case_insensitive(client: httpx.Client) -> None:
    event = new_event(client)
    first = register(client, event["id"], "Ann.Lee@Example.ORG")
    assert first.status_code == 201
    assert first.json()["email"] == "ann.lee@example.org"
    again = register(client, event["id"], "ann.lee@example.org")
    assert again.status_code == 409
    assert again.json()["code"] == "already_registered"


def test_start_times_with_an_offset_keep_their_instant(client: httpx.Client) -> None:
    for given, expected in (
        ("2031-06-01T18:00:00+02:00", datetime(2031, 6, 1, 16, 0, tzinfo=UTC)),
        ("2031-06-01T22:30:00-05:00", datetime(2031, 6, 2, 3, 30, tzinfo=UTC)),
    ):
        event = new_event(client, starts_at=given)
        assert instant(event["starts_at"]) == expected
        stored = client.get(f"/events/{event['id']}").json()["starts_at"]
        assert instant(stored) == expected
