from httpx import AsyncClient

FUTURE = "2031-06-01T18:00:00Z"


async def _event(
    client: AsyncClient, capacity: int = 10, starts_at: str = FUTURE
) -> dict[str, object]:
    response = await client.post(
        "/events",
        json={"title": "Meetup", "starts_at": starts_at, "capacity": capacity},
    )
    assert response.status_code == 201
    body: dict[str, object] = response.json()
    return body


async def _register(client: AsyncClient, event_id: object, email: str) -> int:
    response = await client.post(
        f"/events/{event_id}/registrations", json={"email": email, "name": "Ann"}
    )
    return response.status_code


async def test_create_then_get(client: AsyncClient) -> None:
    event = await _event(client, capacity=3)
    response = await client.get(f"/events/{event['id']}")
    assert response.status_code == 200
    assert response.json()["seats_left"] == 3
    assert response.json()["starts_at"] == FUTURE


async def test_naive_start_is_422(client: AsyncClient) -> None:
    response = await client.post(
        "/events",
        json={"title": "x", "starts_at": "2031-06-01T18:00:00", "capacity": 1},
    )
    assert response.status_code == 422


async def test_register_takes_a_seat(client: AsyncClient) -> None:
    event = await _event(client, capacity=3)
    assert await _register(client, event["id"], "ann@example.org") == 201
    response = await client.get(f"/events/{event['id']}")
    assert response.json()["seats_left"] == 2


async def test_listing_registrations(client: AsyncClient) -> None:
    event = await _event(client)
    for name in ("a", "b", "c"):
        await _register(client, event["id"], f"{name}@example.org")
    page = (
        await client.get(f"/events/{event['id']}/registrations", params={"limit": 2})
    ).json()
    assert page["total"] == 3
    assert [item["email"] for item in page["items"]] == [
        "a@example.org",
        "b@example.org",
    ]


async def test_same_email_twice_is_409(client: AsyncClient) -> None:
    event = await _event(client)
    assert await _register(client, event["id"], "ann@example.org") == 201
    assert await _register(client, event["id"], "ann@example.org") == 409


async def test_missing_event_is_404(client: AsyncClient) -> None:
    response = await client.get("/events/404")
    assert response.status_code == 404
    assert response.json()["code"] == "event_not_found"
