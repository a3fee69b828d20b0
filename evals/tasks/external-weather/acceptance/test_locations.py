"""Saved places: CRUD, pagination, and the weather of a saved place."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
import pytest
from conftest import Provider


def _create(client: httpx.Client, city: str = "Lyon", name: str | None = None) -> dict:
    response = client.post(
        "/locations", json={"name": name or f"place-{uuid.uuid4().hex[:8]}", "city": city}
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_the_location(client: httpx.Client) -> None:
    body = _create(client, city="Lyon", name="Office")
    assert isinstance(body["id"], int)
    assert body["name"] == "Office"
    assert body["city"] == "Lyon"
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None


def test_created_location_persists(client: httpx.Client) -> None:
    body = _create(client, city="Nantes")
    again = client.get(f"/locations/{body['id']}")
    assert again.status_code == 200
    assert again.json()["name"] == body["name"]
    assert again.json()["city"] == "Nantes"


@pytest.mark.parametrize(
    "payload",
    [{"name": "x"}, {"name": "", "city": "Lyon"}, {"name": "n" * 101, "city": "Lyon"}],
)
def test_invalid_location_is_422(client: httpx.Client, payload: dict) -> None:
    response = client.post("/locations", json=payload)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_missing_location_is_404(client: httpx.Client) -> None:
    response = client.get("/locations/987654")
    assert response.status_code == 404
    assert response.json()["code"] == "location_not_found"


def test_list_is_paginated_oldest_first(client: httpx.Client) -> None:
    mine = [_create(client)["name"] for _ in range(3)]
    total = client.get("/locations", params={"limit": 1}).json()["total"]
    page = client.get("/locations", params={"limit": 2, "offset": total - 3}).json()
    assert page["total"] == total
    assert page["limit"] == 2
    assert page["offset"] == total - 3
    assert [item["name"] for item in page["items"]] == mine[:2]
    last = client.get("/locations", params={"limit": 5, "offset": total - 1}).json()
    assert [item["name"] for item in last["items"]] == mine[2:]


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}]
)
def test_page_bounds_are_422(client: httpx.Client, params: dict) -> None:
    assert client.get("/locations", params=params).status_code == 422


def test_delete_removes_the_location(client: httpx.Client) -> None:
    body = _create(client)
    assert client.delete(f"/locations/{body['id']}").status_code == 204
    assert client.get(f"/locations/{body['id']}").status_code == 404
    assert client.delete(f"/locations/{body['id']}").status_code == 404


def test_weather_of_a_saved_location(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(city, temp_c=15.5, text="Sunny")
    place = _create(client, city=city, name="Home")
    response = client.get(f"/locations/{place['id']}/weather")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["location"]["id"] == place["id"]
    assert body["location"]["name"] == "Home"
    assert body["weather"]["city"] == city
    assert body["weather"]["temperature_c"] == 15.5
    assert body["weather"]["condition"] == "Sunny"


def test_weather_of_a_saved_location_when_the_provider_fails(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.script(city, {"status": 500, "body": {}})
    place = _create(client, city=city)
    response = client.get(f"/locations/{place['id']}/weather")
    assert response.status_code == 502
    assert response.json()["code"] == "upstream_error"


def test_weather_of_a_missing_location_is_404(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(city)
    response = client.get("/locations/987655/weather")
    assert response.status_code == 404
    assert response.json()["code"] == "location_not_found"
