"""Meeting queries and writes."""

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.meetings.exceptions import MeetingNotFoundError
from app.meetings.models import Meeting
from app.meetings.schemas import MeetingCreate, as_utc


async def create(session: AsyncSession, data: MeetingCreate) -> Meeting:
    """Save a meeting (its timestamps are already UTC)."""
    meeting = Meeting(**data.model_dump())
    session.add(meeting)
    await session.commit()
    await session.refresh(meeting)
    return meeting


async def get(session: AsyncSession, meeting_id: int) -> Meeting:
    """The meeting with this id.

    Raises:
        MeetingNotFoundError: When there is none.
    """
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise MeetingNotFoundError(meeting_id)
    return meeting


def _starting_between(start: datetime | None, end: datetime | None) -> Select[Meeting]:
    statement = select(Meeting)
    if start is not None:
        statement = statement.where(Meeting.starts_at >= as_utc(start))
    if end is not None:
        statement = statement.where(Meeting.starts_at < as_utc(end))
    return statement


async def list_page(
    session: AsyncSession,
    *,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[Meeting], int]:
    """Meetings starting in ``[start, end)``, earliest first, and how many there are."""
    statement = _starting_between(start, end)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Meeting.starts_at, Meeting.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0
