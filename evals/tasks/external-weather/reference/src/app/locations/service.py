"""Saved places: queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.locations.exceptions import LocationNotFoundError
from app.locations.models import Location
from app.locations.schemas import LocationCreate


async def create(session: AsyncSession, data: LocationCreate) -> Location:
    """Save a new place."""
    location = Location(name=data.name, city=data.city)
    session.add(location)
    await session.commit()
    await session.refresh(location)
    return location


async def get(session: AsyncSession, location_id: int) -> Location:
    """The place with this id.

    Raises:
        LocationNotFoundError: When there is none.
    """
    location = await session.get(Location, location_id)
    if location is None:
        raise LocationNotFoundError(location_id)
    return location


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Location], int]:
    """One page of places, oldest first, and the total count."""
    total = await session.scalar(select(func.count()).select_from(Location)) or 0
    rows = await session.scalars(
        select(Location).order_by(Location.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def delete(session: AsyncSession, location_id: int) -> None:
    """Forget a place.

    Raises:
        LocationNotFoundError: When there is none.
    """
    location = await get(session, location_id)
    await session.delete(location)
    await session.commit()
