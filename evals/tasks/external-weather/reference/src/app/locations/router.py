"""HTTP routes of saved places."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.locations import service
from app.locations.schemas import (
    LocationCreate,
    LocationPage,
    LocationPublic,
    LocationWeather,
)
from app.weather.client import WeatherClientDep

router = APIRouter(prefix="/locations", tags=["locations"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_location(data: LocationCreate, session: SessionDep) -> LocationPublic:
    """Save a place."""
    return LocationPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_locations(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> LocationPage:
    """One page of saved places, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [LocationPublic.model_validate(row) for row in rows]
    return LocationPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{location_id}")
async def get_location(location_id: int, session: SessionDep) -> LocationPublic:
    """One saved place."""
    return LocationPublic.model_validate(await service.get(session, location_id))


@router.delete("/{location_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_location(location_id: int, session: SessionDep) -> None:
    """Forget a saved place."""
    await service.delete(session, location_id)


@router.get("/{location_id}/weather")
async def location_weather(
    location_id: int, session: SessionDep, weather: WeatherClientDep
) -> LocationWeather:
    """A saved place and the current weather of its city."""
    location = LocationPublic.model_validate(await service.get(session, location_id))
    report = await weather.current(location.city)
    return LocationWeather(location=location, weather=report)
