"""HTTP routes of events and registrations."""

from fastapi import APIRouter, status

from app.database import SessionDep
from app.events import service
from app.events.schemas import (
    EventCreate,
    EventPublic,
    RegistrationCreate,
    RegistrationPublic,
)
from app.schemas import Limit, Offset, Page

router = APIRouter(prefix="/events", tags=["events"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_event(data: EventCreate, session: SessionDep) -> EventPublic:
    """Create an event."""
    return await service.create_event(session, data)


@router.get("")
async def list_events(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> Page[EventPublic]:
    """One page of events, soonest first."""
    items, total = await service.list_events(session, limit=limit, offset=offset)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{event_id}")
async def get_event(event_id: int, session: SessionDep) -> EventPublic:
    """One event and its free seats."""
    return await service.get_event(session, event_id)


@router.post("/{event_id}/registrations", status_code=status.HTTP_201_CREATED)
async def register(
    event_id: int, data: RegistrationCreate, session: SessionDep
) -> RegistrationPublic:
    """Take a seat at an event."""
    registration = await service.register(session, event_id, data)
    return RegistrationPublic.model_validate(registration)


@router.get("/{event_id}/registrations")
async def list_registrations(
    event_id: int, session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> Page[RegistrationPublic]:
    """One page of the people registered for an event, oldest first."""
    rows, total = await service.list_registrations(
        session, event_id, limit=limit, offset=offset
    )
    items = [RegistrationPublic.model_validate(row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.delete(
    "/{event_id}/registrations/{registration_id}",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def cancel_registration(
    event_id: int, registration_id: int, session: SessionDep
) -> None:
    """Give a seat back."""
    await service.cancel(session, event_id, registration_id)
