"""GET /weather: mapping the provider's answer, failures, retry, timeout, cache."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import anyio
import httpx
from conftest import Provider, provider_body


def _error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]


def test_weather_maps_the_provider_answer(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(
        city,
        country="NO",
        temp_c=-3.5,
        humidity=40,
        text="Light snow",
        last_updated="2026-11-24T09:30:00+01:00",
    )
    response = client.get("/weather", params={"city": city})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["city"] == city
    assert body["country"] == "NO"
    assert body["temperature_c"] == -3.5
    assert body["humidity"] == 40
    assert body["condition"] == "Light snow"
    observed = datetime.fromisoformat(body["observed_at"])
    assert observed.tzinfo is not None
    assert observed == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


def test_weather_sends_the_account_id_and_the_city(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(city)
    assert client.get("/weather", params={"city": city}).status_code == 200
    seen = provider.requests(city)
    assert len(seen) == 1
    assert seen[0]["headers"].get("x-account-id") == "acct-test-42"
    assert seen[0]["query"].get("q", "").casefold() == city.casefold()


def test_unknown_city_is_404(client: httpx.Client, provider: Provider) -> None:
    unknown = f"Nowhere{uuid.uuid4().hex[:8]}"
    response = client.get("/weather", params={"city": unknown})
    _error(response, 404, "city_not_found")
    assert provider.count(unknown) == 1


def test_invalid_city_is_422(client: httpx.Client) -> None:
    for params in ({}, {"city": ""}, {"city": "x" * 101}):
        response = client.get("/weather", params=params)
        assert response.status_code == 422, params
        assert isinstance(response.json()["detail"], list)


def test_provider_5xx_twice_is_502_after_one_retry(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.script(city, {"status": 500, "body": {}}, {"status": 503, "body": {}})
    _error(client.get("/weather", params={"city": city}), 502, "upstream_error")
    assert provider.count(city) == 2


def test_one_provider_5xx_is_retried(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.script(
        city,
        {"status": 503, "body": {"error": "busy"}},
        {"status": 200, "body": provider_body(city, temp_c=21.0)},
    )
    response = client.get("/weather", params={"city": city})
    assert response.status_code == 200, response.text
    assert response.json()["temperature_c"] == 21.0
    assert provider.count(city) == 2


def test_other_provider_errors_are_502_without_retry(
    client: httpx.Client, provider: Provider
) -> None:
    for status in (401, 429):
        city = f"Err{status}{uuid.uuid4().hex[:8]}"
        provider.script(city, {"status": status, "body": {"error": "no"}})
        _error(client.get("/weather", params={"city": city}), 502, "upstream_error")
        assert provider.count(city) == 1


def test_unreadable_provider_answer_is_502(
    client: httpx.Client, provider: Provider
) -> None:
    for body in ("raw:this is not json", {"location": {"name": "x", "country": "FR"}}):
        city = f"Bad{uuid.uuid4().hex[:8]}"
        provider.script(city, {"status": 200, "body": body})
        _error(client.get("/weather", params={"city": city}), 502, "upstream_error")


def test_slow_provider_is_504_within_the_timeout(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(city, delay=8.0)
    started = time.monotonic()
    response = client.get("/weather", params={"city": city})
    elapsed = time.monotonic() - started
    _error(response, 504, "upstream_timeout")
    assert elapsed < 4.5, f"answered after {elapsed:.1f} s; the timeout is 2 s"
    assert provider.count(city) == 1


def test_successful_answer_is_cached_per_city(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(city, temp_c=7.0)
    first = client.get("/weather", params={"city": city})
    second = client.get("/weather", params={"city": f"  {city.upper()} "})
    assert first.status_code == second.status_code == 200
    assert second.json()["temperature_c"] == 7.0
    assert provider.count(city) == 1


def test_cache_entries_expire(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.ok(city)
    assert client.get("/weather", params={"city": city}).status_code == 200
    time.sleep(2.6)
    assert client.get("/weather", params={"city": city}).status_code == 200
    assert provider.count(city) == 2


def test_failures_are_not_cached(
    client: httpx.Client, provider: Provider, city: str
) -> None:
    provider.script(
        city,
        {"status": 503, "body": {}},
        {"status": 503, "body": {}},
        {"status": 200, "body": provider_body(city, humidity=12)},
    )
    _error(client.get("/weather", params={"city": city}), 502, "upstream_error")
    response = client.get("/weather", params={"city": city})
    assert response.status_code == 200, response.text
    assert response.json()["humidity"] == 12
    assert provider.count(city) == 3


async def test_lookups_do_not_block_each_other(
    async_client: httpx.AsyncClient, provider: Provider
) -> None:
    cities = [f"Par{uuid.uuid4().hex[:8]}" for _ in range(6)]
    for name in cities:
        provider.ok(name, delay=0.8)
    statuses: list[int] = []

    async def lookup(name: str) -> None:
        response = await async_client.get("/weather", params={"city": name})
        statuses.append(response.status_code)

    started = time.monotonic()
    async with anyio.create_task_group() as group:
        for name in cities:
            group.start_soon(lookup, name)
    elapsed = time.monotonic() - started
    assert statuses == [200] * 6
    assert elapsed < 3.0, f"6 lookups of 0.8 s took {elapsed:.1f} s: they ran one by one"
