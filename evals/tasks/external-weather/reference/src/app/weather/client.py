"""The weather provider's client: timeout, one retry on 5xx, a per-city cache."""

import time
from typing import Annotated

import httpx
from fastapi import Depends, Request, status
from pydantic import ValidationError

from app.weather.exceptions import (
    CityNotFoundError,
    UpstreamError,
    UpstreamTimeoutError,
)
from app.weather.schemas import ProviderAnswer, WeatherReport

#: Attempts per lookup when the provider answers with a 5xx status.
ATTEMPTS = 2


class WeatherClient:
    """Looks up current weather, caching successful answers per city."""

    def __init__(self, http: httpx.AsyncClient, *, cache_seconds: float) -> None:
        self._http = http
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, WeatherReport]] = {}

    async def current(self, city: str) -> WeatherReport:
        """The current weather of ``city`` (case and surrounding spaces ignored).

        Raises:
            CityNotFoundError: The provider does not know the city.
            UpstreamError: The provider failed or answered something unreadable.
            UpstreamTimeoutError: The provider did not answer in time.
        """
        key = city.strip().casefold()
        cached = self._cache.get(key)
        if cached is not None and time.monotonic() < cached[0]:
            return cached[1]
        report = await self._fetch(city.strip())
        if self._cache_seconds > 0:
            self._cache[key] = (time.monotonic() + self._cache_seconds, report)
        return report

    async def _fetch(self, city: str) -> WeatherReport:
        response = await self._get(city)
        if response.status_code == status.HTTP_404_NOT_FOUND:
            raise CityNotFoundError(city)
        if response.status_code != status.HTTP_200_OK:
            msg = f"the weather provider answered {response.status_code}"
            raise UpstreamError(msg)
        try:
            answer = ProviderAnswer.model_validate_json(response.content)
        except ValidationError as error:
            msg = "the weather provider sent an unreadable answer"
            raise UpstreamError(msg) from error
        return WeatherReport.from_provider(answer)

    async def _get(self, city: str) -> httpx.Response:
        attempt = 1
        while True:
            response = await self._attempt(city)
            if response.status_code < status.HTTP_500_INTERNAL_SERVER_ERROR:
                return response
            if attempt == ATTEMPTS:
                return response
            attempt += 1

    async def _attempt(self, city: str) -> httpx.Response:
        try:
            return await self._http.get("/v1/current", params={"q": city})
        except httpx.TimeoutException as error:
            msg = "the weather provider did not answer in time"
            raise UpstreamTimeoutError(msg) from error
        except httpx.HTTPError as error:
            msg = "the weather provider is unreachable"
            raise UpstreamError(msg) from error


def get_weather_client(request: Request) -> WeatherClient:
    """The client the lifespan created."""
    client: WeatherClient = request.app.state.weather
    return client


WeatherClientDep = Annotated[WeatherClient, Depends(get_weather_client)]
