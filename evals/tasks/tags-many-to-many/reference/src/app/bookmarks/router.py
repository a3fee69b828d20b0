"""HTTP routes of bookmarks and tags."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.bookmarks import service
from app.bookmarks.models import Bookmark
from app.bookmarks.schemas import (
    BookmarkCreate,
    BookmarkPage,
    BookmarkPublic,
    Match,
    TagName,
    TagPage,
    TagsReplace,
    TagUsage,
)
from app.database import SessionDep

router = APIRouter(tags=["bookmarks"])

Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


def _public(bookmark: Bookmark) -> BookmarkPublic:
    return BookmarkPublic(
        id=bookmark.id,
        url=bookmark.url,
        title=bookmark.title,
        tags=[tag.name for tag in bookmark.tags],
        created_at=bookmark.created_at,
    )


@router.post("/bookmarks", status_code=status.HTTP_201_CREATED)
async def create_bookmark(data: BookmarkCreate, session: SessionDep) -> BookmarkPublic:
    """Save a link with its tags."""
    return _public(await service.create(session, data))


@router.get("/bookmarks")
async def list_bookmarks(
    session: SessionDep,
    tag: Annotated[list[TagName] | None, Query()] = None,
    match: Match = Match.ALL,
    limit: Limit = 20,
    offset: Offset = 0,
) -> BookmarkPage:
    """One page of bookmarks, oldest first, filtered by tags."""
    rows, total = await service.list_page(
        session, names=sorted(set(tag or [])), match=match, limit=limit, offset=offset
    )
    return BookmarkPage(
        items=[_public(row) for row in rows], total=total, limit=limit, offset=offset
    )


@router.get("/bookmarks/{bookmark_id}")
async def get_bookmark(bookmark_id: int, session: SessionDep) -> BookmarkPublic:
    """One bookmark."""
    return _public(await service.get(session, bookmark_id))


@router.put("/bookmarks/{bookmark_id}/tags")
async def replace_tags(
    bookmark_id: int, data: TagsReplace, session: SessionDep
) -> BookmarkPublic:
    """Replace the tags of a bookmark."""
    return _public(await service.replace_tags(session, bookmark_id, data.tags))


@router.delete("/bookmarks/{bookmark_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_bookmark(bookmark_id: int, session: SessionDep) -> None:
    """Delete a bookmark."""
    await service.delete_bookmark(session, bookmark_id)


@router.get("/tags")
async def list_tags(
    session: SessionDep,
    prefix: Annotated[str | None, Query(max_length=30)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> TagPage:
    """The tags in use, by name, with how many bookmarks carry each."""
    rows, total = await service.list_tags(
        session,
        prefix=prefix.strip().lower() if prefix else None,
        limit=limit,
        offset=offset,
    )
    items = [TagUsage(name=name, bookmarks=count) for name, count in rows]
    return TagPage(items=items, total=total, limit=limit, offset=offset)
