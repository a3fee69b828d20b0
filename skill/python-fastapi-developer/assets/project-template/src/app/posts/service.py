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
    await _commit(session, data.title)
    return post


async def update(session: AsyncSession, post: Post, data: PostUpdate) -> Post:
    """Change the fields the client sent.

    Raises:
        PostTitleTakenError: When the new title belongs to another post.
    """
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(post, field, value)
    await _commit(session, post.title)
    return post


async def delete(session: AsyncSession, post: Post) -> None:
    """Delete a post."""
    await session.delete(post)
    await session.commit()


async def _commit(session: AsyncSession, title: str) -> None:
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise PostTitleTakenError(title) from error
