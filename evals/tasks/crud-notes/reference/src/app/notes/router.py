"""HTTP routes of the notes domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.notes import service
from app.notes.schemas import NoteCreate, NotePage, NotePublic, NoteUpdate

router = APIRouter(prefix="/notes", tags=["notes"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_note(data: NoteCreate, session: SessionDep) -> NotePublic:
    """Write a note."""
    return NotePublic.model_validate(await service.create(session, data))


@router.get("")
async def list_notes(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    q: Annotated[str | None, Query(max_length=200)] = None,
    pinned: bool | None = None,
) -> NotePage:
    """One page of notes, oldest first, optionally searched by title and pinned flag."""
    rows, total = await service.list_page(
        session, limit=limit, offset=offset, query=q, pinned=pinned
    )
    items = [NotePublic.model_validate(row) for row in rows]
    return NotePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{note_id}")
async def get_note(note_id: int, session: SessionDep) -> NotePublic:
    """One note."""
    return NotePublic.model_validate(await service.get(session, note_id))


@router.patch("/{note_id}")
async def update_note(
    note_id: int, data: NoteUpdate, session: SessionDep
) -> NotePublic:
    """Change some fields of a note."""
    return NotePublic.model_validate(await service.update(session, note_id, data))


@router.delete("/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_note(note_id: int, session: SessionDep) -> None:
    """Delete a note."""
    await service.delete(session, note_id)
