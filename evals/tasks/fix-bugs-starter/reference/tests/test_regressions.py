"""Regression tests for the bugs of 1.2.0 (see the changelog in the pull request)."""

from httpx import AsyncClient

from tests.test_events import _event, _register


async def test_event_takes_exactly_its_capacity(client: AsyncClient) -> None:
    event = await _event(client, capacity=2)
    assert await _register(client, event["id"], "a@example.org") == 201
    assert await _register(client, event["id"], "b@example.org") == 201
    response = await client.post(
        f"/events/{event['id']}/registrations",
        json={"email": "c@example.org", "name": "C"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "event_full"


async def test_second_page_starts_after_the_first(client: AsyncClient) -> None:
    for day in range(1, 6):
        await _event(client, starts_at=f"2031-06-0{day}T10:00:00Z")
    page = (await client.get("/events", params={"limit": 2, "offset": 2})).json()
    assert [item["starts_at"][:10] for item in page["items"]] == [
        "2031-06-03",
        "2031-06-04",
    ]


async def test_cancelling_frees_the_seat(client: AsyncClient) -> None:
    event = await _event(client, capacity=1)
    response = await client.post(
        f"/events/{event['id']}/registrations",
        json={"email": "a@example.org", "name": "A"},
    )
    registration_id = response.json()["id"]
    cancel = await client.delete(
        f"/events/{event['id']}/registrations/{registration_id}"
    )
    assert cancel.status_code == 204
    assert (await client.get(f"/events/{event['id']}")).json()["seats_left"] == 1
    assert await _register(client, event["id"], "b@example.org") == 201


async def test_emails_are_case_insensitive(client: AsyncClient) -> None:
    event = await _event(client)
    assert await _register(client, event["id"], "Ann.Lee@Example.org") == 201
    assert await _register(client, event["id"], "ann.lee@example.ORG") == 409


async def test_offsets_are_converted_to_utc(client: AsyncClient) -> None:
    event = await _event(client, starts_at="2031-06-01T18:00:00+02:00")
    assert event["starts_at"] == "2031-06-01T16:00:00Z"
