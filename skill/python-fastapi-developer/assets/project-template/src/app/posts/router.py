"""HTTP routes of the posts domain."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.database import SessionDep
from app.pagination import Page, PageParams
from app.posts import service
from app.posts.dependencies import valid_post_id
from app.posts.models import Post
from app.posts.schemas import PostCreate, PostPublic, PostUpdate

router = APIRouter(prefix="/posts", tags=["posts"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_post(data: PostCreate, session: SessionDep) -> PostPublic:
    """Create a post; 409 when the title is taken."""
    post = await service.create(session, data)
    return PostPublic.model_validate(post)


@router.get("")
async def list_posts(
    session: SessionDep, page: Annotated[PageParams, Query()]
) -> Page[PostPublic]:
    """One page of posts, newest first."""
    rows, total = await service.list_page(session, page)
    return Page(
        items=[PostPublic.model_validate(row) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{post_id}")
async def get_post(post: Annotated[Post, Depends(valid_post_id)]) -> PostPublic:
    """One post; 404 when it does not exist."""
    return PostPublic.model_validate(post)


@router.patch("/{post_id}")
async def update_post(
    post: Annotated[Post, Depends(valid_post_id)], data: PostUpdate, session: SessionDep
) -> PostPublic:
    """Change a post's title or content."""
    return PostPublic.model_validate(await service.update(session, post, data))


@router.delete("/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_post(
    post: Annotated[Post, Depends(valid_post_id)], session: SessionDep
) -> None:
    """Delete a post."""
    await service.delete(session, post)
