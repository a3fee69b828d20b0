"""Bookmark queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.bookmarks.exceptions import BookmarkNotFoundError
from app.bookmarks.models import Bookmark
from app.bookmarks.schemas import BookmarkCreate


async def create(session: AsyncSession, data: BookmarkCreate) -> Bookmark:
    """Save a new bookmark."""
    bookmark = Bookmark(url=str(data.url), title=data.title)
    session.add(bookmark)
    await session.commit()
    await session.refresh(bookmark)
    return bookmark


async def get(session: AsyncSession, bookmark_id: int) -> Bookmark:
    """The bookmark with this id.

    Raises:
        BookmarkNotFoundError: When there is none.
    """
    bookmark = await session.get(Bookmark, bookmark_id)
    if bookmark is None:
        raise BookmarkNotFoundError(bookmark_id)
    return bookmark


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Bookmark], int]:
    """One page of bookmarks, oldest first, and the total count."""
    total = await session.scalar(select(func.count()).select_from(Bookmark)) or 0
    rows = await session.scalars(
        select(Bookmark).order_by(Bookmark.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def delete(session: AsyncSession, bookmark_id: int) -> None:
    """Delete a bookmark.

    Raises:
        BookmarkNotFoundError: When there is none.
    """
    bookmark = await get(session, bookmark_id)
    await session.delete(bookmark)
    await session.commit()
