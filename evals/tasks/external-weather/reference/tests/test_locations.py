import httpx

from tests.conftest import FakeProvider, provider_body


async def _create(client: httpx.AsyncClient, name: str, city: str = "Lyon") -> int:
    response = await client.post("/locations", json={"name": name, "city": city})
    assert response.status_code == 201
    location_id: int = response.json()["id"]
    return location_id


async def test_create_then_get(client: httpx.AsyncClient) -> None:
    location_id = await _create(client, "Home")
    response = await client.get(f"/locations/{location_id}")
    assert response.status_code == 200
    assert response.json()["name"] == "Home"
    assert response.json()["created_at"].endswith("Z")


async def test_invalid_body_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/locations", json={"name": "", "city": "Lyon"})
    assert response.status_code == 422


async def test_pagination(client: httpx.AsyncClient) -> None:
    for number in range(3):
        await _create(client, f"p{number}")
    page = (await client.get("/locations", params={"limit": 2, "offset": 1})).json()
    assert page["total"] == 3
    assert [item["name"] for item in page["items"]] == ["p1", "p2"]


async def test_delete_then_missing(client: httpx.AsyncClient) -> None:
    location_id = await _create(client, "Gone")
    assert (await client.delete(f"/locations/{location_id}")).status_code == 204
    missing = await client.get(f"/locations/{location_id}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "location_not_found"


async def test_location_weather(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["lyon"] = [httpx.Response(200, json=provider_body("Lyon", 8.0))]
    location_id = await _create(client, "Office")
    response = await client.get(f"/locations/{location_id}/weather")
    assert response.status_code == 200
    body = response.json()
    assert body["location"]["name"] == "Office"
    assert body["weather"]["temperature_c"] == 8.0
