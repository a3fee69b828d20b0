"""Queries and writes of bookmarks and tags.

Every read runs a fixed number of statements: ``selectinload`` loads the tags of a whole
page at once, and tag filters are subqueries, so a bookmark matching several tags is
still one row.
"""

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.bookmarks.exceptions import BookmarkNotFoundError
from app.bookmarks.models import Bookmark, Tag, bookmark_tag
from app.bookmarks.schemas import BookmarkCreate, Match


async def _tags(session: AsyncSession, names: Sequence[str]) -> list[Tag]:
    """The tags with these names, creating the missing ones (safe under concurrency)."""
    if not names:
        return []
    await session.execute(
        insert(Tag)
        .values([{"name": name} for name in names])
        .on_conflict_do_nothing(index_elements=[Tag.name])
    )
    rows = await session.scalars(select(Tag).where(Tag.name.in_(names)))
    return sorted(rows, key=lambda tag: tag.name)


async def create(session: AsyncSession, data: BookmarkCreate) -> Bookmark:
    """Save a bookmark with its tags."""
    bookmark = Bookmark(
        url=str(data.url), title=data.title, tags=await _tags(session, data.tags)
    )
    session.add(bookmark)
    await session.commit()
    return bookmark


async def get(session: AsyncSession, bookmark_id: int) -> Bookmark:
    """The bookmark with its tags (2 statements).

    Raises:
        BookmarkNotFoundError: When there is none.
    """
    bookmark = await session.scalar(
        select(Bookmark)
        .where(Bookmark.id == bookmark_id)
        .options(selectinload(Bookmark.tags))
    )
    if bookmark is None:
        raise BookmarkNotFoundError(bookmark_id)
    return bookmark


async def replace_tags(
    session: AsyncSession, bookmark_id: int, names: Sequence[str]
) -> Bookmark:
    """Give a bookmark exactly these tags.

    Raises:
        BookmarkNotFoundError: When there is no such bookmark.
    """
    bookmark = await get(session, bookmark_id)
    bookmark.tags = await _tags(session, names)
    await session.commit()
    return bookmark


async def delete_bookmark(session: AsyncSession, bookmark_id: int) -> None:
    """Delete a bookmark and its tag links.

    Raises:
        BookmarkNotFoundError: When there is none.
    """
    bookmark = await get(session, bookmark_id)
    await session.delete(bookmark)
    await session.commit()


def _filtered(names: Sequence[str], match: Match) -> Select[Bookmark]:
    statement = select(Bookmark)
    if not names:
        return statement
    tagged = (
        select(bookmark_tag.c.bookmark_id)
        .join(Tag, Tag.id == bookmark_tag.c.tag_id)
        .where(Tag.name.in_(names))
    )
    if match is Match.ALL:
        tagged = tagged.group_by(bookmark_tag.c.bookmark_id).having(
            func.count() == len(set(names))
        )
    return statement.where(Bookmark.id.in_(tagged))


async def list_page(
    session: AsyncSession,
    *,
    names: Sequence[str],
    match: Match,
    limit: int,
    offset: int,
) -> tuple[list[Bookmark], int]:
    """One page of matching bookmarks, oldest first, and the total (3 statements)."""
    statement = _filtered(names, match)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.options(selectinload(Bookmark.tags))
        .order_by(Bookmark.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total or 0


async def list_tags(
    session: AsyncSession, *, prefix: str | None, limit: int, offset: int
) -> tuple[list[tuple[str, int]], int]:
    """One page of the tags in use with their bookmark counts, and the total."""
    statement = (
        select(Tag.name, func.count(bookmark_tag.c.bookmark_id))
        .join(bookmark_tag, bookmark_tag.c.tag_id == Tag.id)
        .group_by(Tag.id)
    )
    if prefix:
        statement = statement.where(Tag.name.startswith(prefix, autoescape=True))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.execute(
        statement.order_by(Tag.name).limit(limit).offset(offset)
    )
    return [(name, count) for name, count in rows], total or 0
