"""Event and registration queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.exceptions import (
    AlreadyRegisteredError,
    EventFullError,
    EventNotFoundError,
    RegistrationNotFoundError,
)
from app.events.models import Event, Registration
from app.events.schemas import EventCreate, EventPublic, RegistrationCreate


async def _public(session: AsyncSession, event: Event) -> EventPublic:
    taken = await session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id)
    )
    return EventPublic(
        id=event.id,
        title=event.title,
        starts_at=event.starts_at,
        capacity=event.capacity,
        seats_left=event.capacity - (taken or 0),
        created_at=event.created_at,
    )


async def create_event(session: AsyncSession, data: EventCreate) -> EventPublic:
    """Save a new event."""
    event = Event(
        title=data.title, starts_at=data.starts_at_utc(), capacity=data.capacity
    )
    session.add(event)
    await session.commit()
    await session.refresh(event)
    return await _public(session, event)


async def _event(session: AsyncSession, event_id: int) -> Event:
    event = await session.get(Event, event_id)
    if event is None:
        raise EventNotFoundError(event_id)
    return event


async def get_event(session: AsyncSession, event_id: int) -> EventPublic:
    """The event with this id and its free seats.

    Raises:
        EventNotFoundError: When there is none.
    """
    return await _public(session, await _event(session, event_id))


async def list_events(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[EventPublic], int]:
    """One page of events, soonest first, with their free seats (one query)."""
    total = await session.scalar(select(func.count()).select_from(Event)) or 0
    taken = (
        select(Registration.event_id, func.count().label("taken"))
        .group_by(Registration.event_id)
        .subquery()
    )
    rows = await session.execute(
        select(Event, func.coalesce(taken.c.taken, 0))
        .outerjoin(taken, taken.c.event_id == Event.id)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
        .offset(offset)
    )
    items = [
        EventPublic(
            id=event.id,
            title=event.title,
            starts_at=event.starts_at,
            capacity=event.capacity,
            seats_left=event.capacity - count,
            created_at=event.created_at,
        )
        for event, count in rows
    ]
    return items, total


async def register(
    session: AsyncSession, event_id: int, data: RegistrationCreate
) -> Registration:
    """Give a seat of the event to a person.

    Raises:
        EventNotFoundError: When the event does not exist.
        EventFullError: When every seat is taken.
        AlreadyRegisteredError: When the email already holds a seat.
    """
    event = await _event(session, event_id)
    email = data.email.lower()
    taken = await session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event_id)
    )
    if (taken or 0) >= event.capacity:
        raise EventFullError(event_id)
    registration = Registration(event_id=event_id, email=email, name=data.name)
    session.add(registration)
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise AlreadyRegisteredError(email) from error
    await session.refresh(registration)
    return registration


async def list_registrations(
    session: AsyncSession, event_id: int, *, limit: int, offset: int
) -> tuple[list[Registration], int]:
    """One page of an event's registrations, oldest first, and their count.

    Raises:
        EventNotFoundError: When the event does not exist.
    """
    await _event(session, event_id)
    mine = Registration.event_id == event_id
    total = (
        await session.scalar(select(func.count()).select_from(Registration).where(mine))
        or 0
    )
    rows = await session.scalars(
        select(Registration)
        .where(mine)
        .order_by(Registration.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


async def cancel(session: AsyncSession, event_id: int, registration_id: int) -> None:
    """Free a seat.

    Raises:
        RegistrationNotFoundError: When the event has no such registration.
    """
    registration = await session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        raise RegistrationNotFoundError(registration_id)
    await session.delete(registration)
    await session.commit()
