"""HTTP routes of the bookings domain."""

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime

from app.appointments import service
from app.appointments.exceptions import InvalidRangeError
from app.appointments.schemas import (
    BookingCreate,
    BookingPage,
    BookingPublic,
    DaySchedule,
    Room,
    ZoneName,
)
from app.appointments.zones import local_day
from app.database import SessionDep

router = APIRouter(tags=["bookings"])
Zone = Annotated[ZoneName, Query()]


@router.post("/bookings", status_code=status.HTTP_201_CREATED)
async def create_booking(data: BookingCreate, session: SessionDep) -> BookingPublic:
    """Book a room; times come back in UTC."""
    return BookingPublic.model_validate(await service.create(session, data))


@router.get("/bookings")
async def list_bookings(
    session: SessionDep,
    room: Annotated[Room, Query()],
    start: Annotated[AwareDatetime, Query()],
    end: Annotated[AwareDatetime, Query()],
    tz: Zone = "UTC",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> BookingPage:
    """One page of the room's bookings that overlap ``[start, end)``."""
    if start >= end:
        msg = "start must be before end"
        raise InvalidRangeError(msg)
    rows, total = await service.between(
        session, room, start, end, limit=limit, offset=offset
    )
    zone = ZoneInfo(tz)
    items = [BookingPublic.model_validate(row).in_zone(zone) for row in rows]
    return BookingPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/bookings/{booking_id}")
async def get_booking(
    booking_id: int, session: SessionDep, tz: Zone = "UTC"
) -> BookingPublic:
    """One booking, its times in ``tz``."""
    booking = BookingPublic.model_validate(await service.get(session, booking_id))
    return booking.in_zone(ZoneInfo(tz))


@router.delete("/bookings/{booking_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_booking(booking_id: int, session: SessionDep) -> None:
    """Cancel a booking."""
    await service.delete(session, booking_id)


@router.get("/rooms/{room}/days/{day}")
async def day_schedule(
    room: str, day: date, session: SessionDep, tz: Zone = "UTC"
) -> DaySchedule:
    """The room's bookings that start on ``day`` in zone ``tz``."""
    zone = ZoneInfo(tz)
    start, end = local_day(day, zone)
    rows = await service.starting_between(session, room, start, end)
    items = [BookingPublic.model_validate(row).in_zone(zone) for row in rows]
    return DaySchedule(room=room, date=day.isoformat(), tz=tz, items=items)
