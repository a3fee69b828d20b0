"""Post queries and writes; each write commits explicitly."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.pagination import PageParams
from app.posts.exceptions import PostTitleTakenError
from app.posts.models import Post
from app.posts.schemas import PostCreate, PostUpdate


async def get_by_id(session: AsyncSession, post_id: int) -> Post | None:
    """The post with this id, or None."""
    return await session.get(Post, post_id)


async def list_page(session: AsyncSession, page: PageParams) -> tuple[list[Post], int]:
    """One page of posts, newest first, and the total number of posts."""
    total = await session.scalar(select(func.count()).select_from(Post)) or 0
    rows = await session.scalars(
        select(Post)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    )
    return list(rows), total


async def create(session: AsyncSession, data: PostCreate) -> Post:
    """Insert a post.

    Raises:
        PostTitleTakenError: When another post has the same title.
    """
    post = Post(**data.model_dump())
    session.add(post)
    await _commit(session, title=data.title, post_id=None)
    return post


async def update(session: AsyncSession, post: Post, data: PostUpdate) -> Post:
    """Change the fields the client sent.

    Raises:
        PostTitleTakenError: When the new title belongs to another post.
    """
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        setattr(post, field, value)
    await _commit(session, title=changes.get("title"), post_id=post.id)
    return post


async def delete(session: AsyncSession, post: Post) -> None:
    """Delete a post."""
    await session.delete(post)
    await session.commit()


async def _commit(
    session: AsyncSession, *, title: str | None, post_id: int | None
) -> None:
    """Commit; a taken title becomes ``PostTitleTakenError``, other violations propagate."""
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        if title is not None and await _title_taken(session, title, post_id):
            raise PostTitleTakenError(title) from error
        raise


async def _title_taken(session: AsyncSession, title: str, post_id: int | None) -> bool:
    """Whether a post other than ``post_id`` has this title (portable across databases)."""
    query = select(Post.id).where(Post.title == title, Post.id != post_id).limit(1)
    return await session.scalar(query) is not None
