"""``GET /weather``: the current weather of a city."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.weather.client import WeatherClientDep
from app.weather.schemas import WeatherReport

router = APIRouter(prefix="/weather", tags=["weather"])


@router.get("")
async def current_weather(
    city: Annotated[str, Query(min_length=1, max_length=100)],
    weather: WeatherClientDep,
) -> WeatherReport:
    """The current weather of a city, from the provider or the cache."""
    return await weather.current(city)
