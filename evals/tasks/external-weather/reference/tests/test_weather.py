import httpx

from tests.conftest import FakeProvider, provider_body


async def test_weather_is_mapped_from_the_provider(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["paris"] = [httpx.Response(200, json=provider_body("Paris", 4.5))]
    response = await client.get("/weather", params={"city": "Paris"})
    assert response.status_code == 200
    assert response.json() == {
        "city": "Paris",
        "country": "FR",
        "temperature_c": 4.5,
        "condition": "Cloudy",
        "humidity": 50,
        "observed_at": "2026-11-24T10:00:00Z",
    }
    assert provider.calls[0].headers["X-Account-Id"] == "acct"


async def test_unknown_city_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/weather", params={"city": "Atlantis"})
    assert response.status_code == 404
    assert response.json()["code"] == "city_not_found"


async def test_one_5xx_is_retried(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["oslo"] = [
        httpx.Response(503),
        httpx.Response(200, json=provider_body("Oslo")),
    ]
    assert (await client.get("/weather", params={"city": "Oslo"})).status_code == 200
    assert len(provider.calls) == 2


async def test_two_5xx_are_502(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["oslo"] = [httpx.Response(500)]
    response = await client.get("/weather", params={"city": "Oslo"})
    assert response.status_code == 502
    assert response.json()["code"] == "upstream_error"
    assert len(provider.calls) == 2


async def test_timeout_is_504(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["oslo"] = [httpx.ReadTimeout("slow")]
    response = await client.get("/weather", params={"city": "Oslo"})
    assert response.status_code == 504
    assert response.json()["code"] == "upstream_timeout"
    assert len(provider.calls) == 1


async def test_unreachable_provider_is_502(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["oslo"] = [httpx.ConnectError("refused")]
    response = await client.get("/weather", params={"city": "Oslo"})
    assert response.status_code == 502


async def test_unreadable_answer_is_502(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["oslo"] = [httpx.Response(200, json={"nope": 1})]
    response = await client.get("/weather", params={"city": "Oslo"})
    assert response.status_code == 502


async def test_answers_are_cached(
    client: httpx.AsyncClient, provider: FakeProvider
) -> None:
    provider.answers["oslo"] = [httpx.Response(200, json=provider_body("Oslo"))]
    await client.get("/weather", params={"city": "Oslo"})
    await client.get("/weather", params={"city": " OSLO "})
    assert len(provider.calls) == 1
