"""Note queries and writes, always on behalf of one user."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.notes.exceptions import NoteForbiddenError, NoteNotFoundError
from app.notes.models import Note
from app.notes.schemas import NoteCreate, NoteUpdate
from app.users.models import User


async def create(session: AsyncSession, owner: User, data: NoteCreate) -> Note:
    """Write a note owned by ``owner``."""
    note = Note(owner_id=owner.id, **data.model_dump())
    session.add(note)
    await session.commit()
    return note


async def get_owned(session: AsyncSession, user: User, note_id: int) -> Note:
    """The note with this id, if ``user`` owns it.

    Raises:
        NoteNotFoundError: When there is no such note.
        NoteForbiddenError: When another user owns it.
    """
    note = await session.get(Note, note_id)
    if note is None:
        raise NoteNotFoundError(note_id)
    if note.owner_id != user.id:
        raise NoteForbiddenError(note_id)
    return note


async def list_page(
    session: AsyncSession, owner: User, *, limit: int, offset: int
) -> tuple[list[Note], int]:
    """One page of the owner's notes, oldest first, and how many they have."""
    mine = Note.owner_id == owner.id
    total = await session.scalar(select(func.count()).where(mine)) or 0
    rows = await session.scalars(
        select(Note).where(mine).order_by(Note.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def update(
    session: AsyncSession, user: User, note_id: int, data: NoteUpdate
) -> Note:
    """Change the fields that were sent.

    Raises:
        NoteNotFoundError: When there is no such note.
        NoteForbiddenError: When another user owns it.
    """
    note = await get_owned(session, user, note_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(note, field, value)
    await session.commit()
    await session.refresh(note)
    return note


async def delete(session: AsyncSession, user: User, note_id: int) -> None:
    """Delete a note.

    Raises:
        NoteNotFoundError: When there is no such note.
        NoteForbiddenError: When another user owns it.
    """
    note = await get_owned(session, user, note_id)
    await session.delete(note)
    await session.commit()
