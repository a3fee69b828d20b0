"""Note queries and writes."""

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.notes.exceptions import NoteNotFoundError
from app.notes.models import Note
from app.notes.schemas import NoteCreate, NoteUpdate


async def create(session: AsyncSession, data: NoteCreate) -> Note:
    """Save a new note."""
    note = Note(**data.model_dump())
    session.add(note)
    await session.commit()
    await session.refresh(note)
    return note


async def get(session: AsyncSession, note_id: int) -> Note:
    """The note with this id.

    Raises:
        NoteNotFoundError: When there is none.
    """
    note = await session.get(Note, note_id)
    if note is None:
        raise NoteNotFoundError(note_id)
    return note


def _filtered(query: str | None, pinned: bool | None) -> Select[Note]:
    statement = select(Note)
    if query:
        statement = statement.where(Note.title.icontains(query, autoescape=True))
    if pinned is not None:
        statement = statement.where(Note.pinned.is_(pinned))
    return statement


async def list_page(
    session: AsyncSession,
    *,
    limit: int,
    offset: int,
    query: str | None = None,
    pinned: bool | None = None,
) -> tuple[list[Note], int]:
    """One page of the matching notes, oldest first, and how many match in all."""
    statement = _filtered(query, pinned)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Note.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def update(session: AsyncSession, note_id: int, data: NoteUpdate) -> Note:
    """Change the fields that were sent.

    Raises:
        NoteNotFoundError: When there is no such note.
    """
    note = await get(session, note_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(note, field, value)
    await session.commit()
    await session.refresh(note)
    return note


async def delete(session: AsyncSession, note_id: int) -> None:
    """Delete a note.

    Raises:
        NoteNotFoundError: When there is none.
    """
    note = await get(session, note_id)
    await session.delete(note)
    await session.commit()
