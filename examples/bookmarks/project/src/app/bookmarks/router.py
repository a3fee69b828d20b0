"""HTTP routes of the bookmarks domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.bookmarks import service
from app.bookmarks.schemas import BookmarkCreate, BookmarkPage, BookmarkPublic
from app.database import SessionDep

router = APIRouter(prefix="/bookmarks", tags=["bookmarks"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_bookmark(data: BookmarkCreate, session: SessionDep) -> BookmarkPublic:
    """Save a link."""
    bookmark = await service.create(session, data)
    return BookmarkPublic.model_validate(bookmark)


@router.get("")
async def list_bookmarks(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> BookmarkPage:
    """One page of saved links."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [BookmarkPublic.model_validate(row) for row in rows]
    return BookmarkPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{bookmark_id}")
async def get_bookmark(bookmark_id: int, session: SessionDep) -> BookmarkPublic:
    """One saved link."""
    return BookmarkPublic.model_validate(await service.get(session, bookmark_id))


@router.delete("/{bookmark_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_bookmark(bookmark_id: int, session: SessionDep) -> None:
    """Forget a saved link."""
    await service.delete(session, bookmark_id)
