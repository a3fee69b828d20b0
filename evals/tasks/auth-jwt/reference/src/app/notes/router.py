"""HTTP routes of notes: every one needs a bearer token."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.notes import service
from app.notes.schemas import NoteCreate, NotePage, NotePublic, NoteUpdate
from app.users.dependencies import CurrentUser

router = APIRouter(prefix="/notes", tags=["notes"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_note(
    data: NoteCreate, user: CurrentUser, session: SessionDep
) -> NotePublic:
    """Write a note."""
    return NotePublic.model_validate(await service.create(session, user, data))


@router.get("")
async def list_notes(
    user: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> NotePage:
    """One page of the caller's notes, oldest first."""
    rows, total = await service.list_page(session, user, limit=limit, offset=offset)
    items = [NotePublic.model_validate(row) for row in rows]
    return NotePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{note_id}")
async def get_note(note_id: int, user: CurrentUser, session: SessionDep) -> NotePublic:
    """One of the caller's notes."""
    return NotePublic.model_validate(await service.get_owned(session, user, note_id))


@router.patch("/{note_id}")
async def update_note(
    note_id: int, data: NoteUpdate, user: CurrentUser, session: SessionDep
) -> NotePublic:
    """Change a note's title or body."""
    note = await service.update(session, user, note_id, data)
    return NotePublic.model_validate(note)


@router.delete("/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_note(note_id: int, user: CurrentUser, session: SessionDep) -> None:
    """Delete a note."""
    await service.delete(session, user, note_id)
