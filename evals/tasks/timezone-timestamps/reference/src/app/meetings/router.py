"""HTTP routes of the meetings domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import AwareDatetime

from app.database import SessionDep
from app.meetings import service
from app.meetings.schemas import MeetingCreate, MeetingPage, MeetingPublic

router = APIRouter(prefix="/meetings", tags=["meetings"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_meeting(data: MeetingCreate, session: SessionDep) -> MeetingPublic:
    """Book a meeting."""
    return MeetingPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_meetings(
    session: SessionDep,
    start: Annotated[AwareDatetime | None, Query()] = None,
    end: Annotated[AwareDatetime | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> MeetingPage:
    """Meetings starting in ``[start, end)``, earliest first."""
    rows, total = await service.list_page(
        session, start=start, end=end, limit=limit, offset=offset
    )
    items = [MeetingPublic.model_validate(row) for row in rows]
    return MeetingPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{meeting_id}")
async def get_meeting(meeting_id: int, session: SessionDep) -> MeetingPublic:
    """One meeting."""
    return MeetingPublic.model_validate(await service.get(session, meeting_id))
