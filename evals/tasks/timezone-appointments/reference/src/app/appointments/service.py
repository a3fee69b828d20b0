"""Booking queries and writes; all arithmetic and comparisons on UTC instants."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.appointments.exceptions import BookingNotFoundError, OverlapError
from app.appointments.models import Booking
from app.appointments.schemas import BookingCreate


def _overlapping(room: str, start: datetime, end: datetime) -> Select[Booking]:
    """Bookings of ``room`` that overlap the half-open interval ``[start, end)``."""
    return select(Booking).where(
        Booking.room == room, Booking.starts_at < end, Booking.ends_at > start
    )


async def create(session: AsyncSession, data: BookingCreate) -> Booking:
    """Book a room.

    Raises:
        OverlapError: When the room is booked for part of that time.
    """
    start = data.starts_at.astimezone(UTC)
    end = start + timedelta(minutes=data.duration_minutes)
    clash = await session.scalar(_overlapping(data.room, start, end).limit(1))
    if clash is not None:
        raise OverlapError(data.room, clash.id)
    booking = Booking(
        room=data.room,
        title=data.title,
        starts_at=start,
        ends_at=end,
        duration_minutes=data.duration_minutes,
    )
    session.add(booking)
    await session.commit()
    return booking


async def get(session: AsyncSession, booking_id: int) -> Booking:
    """The booking with this id.

    Raises:
        BookingNotFoundError: When there is none.
    """
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise BookingNotFoundError(booking_id)
    return booking


async def delete(session: AsyncSession, booking_id: int) -> None:
    """Cancel a booking.

    Raises:
        BookingNotFoundError: When there is none.
    """
    await session.delete(await get(session, booking_id))
    await session.commit()


async def between(
    session: AsyncSession,
    room: str,
    start: datetime,
    end: datetime,
    *,
    limit: int,
    offset: int,
) -> tuple[list[Booking], int]:
    """One page of the room's bookings overlapping ``[start, end)``, and the total."""
    statement = _overlapping(room, start.astimezone(UTC), end.astimezone(UTC))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Booking.starts_at, Booking.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def starting_between(
    session: AsyncSession, room: str, start: datetime, end: datetime
) -> list[Booking]:
    """The room's bookings that start in ``[start, end)`` (at most one day's worth)."""
    rows = await session.scalars(
        select(Booking)
        .where(
            Booking.room == room, Booking.starts_at >= start, Booking.starts_at < end
        )
        .order_by(Booking.starts_at, Booking.id)
    )
    return list(rows)
