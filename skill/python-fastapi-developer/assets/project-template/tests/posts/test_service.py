import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.pagination import PageParams
from app.posts import service
from app.posts.exceptions import PostTitleTakenError
from app.posts.schemas import PostCreate, PostUpdate

pytestmark = pytest.mark.anyio


async def test_create_sets_server_timestamps(session: AsyncSession) -> None:
    post = await service.create(session, PostCreate(title="t", content="c"))

    assert post.id is not None
    assert post.created_at is not None


async def test_duplicate_title_raises_and_session_stays_usable(
    session: AsyncSession,
) -> None:
    await service.create(session, PostCreate(title="t", content="c"))

    with pytest.raises(PostTitleTakenError):
        await service.create(session, PostCreate(title="t", content="other"))

    _, total = await service.list_page(session, PageParams())
    assert total == 1


async def test_each_test_starts_with_an_empty_database(session: AsyncSession) -> None:
    rows, total = await service.list_page(session, PageParams())

    assert (rows, total) == ([], 0)


async def test_other_integrity_errors_are_not_reported_as_a_taken_title(
    session: AsyncSession,
) -> None:
    post = await service.create(session, PostCreate(title="t", content="c"))
    unvalidated = PostUpdate.model_construct(content=None)  # skips the schema's check

    with pytest.raises(IntegrityError, match="NOT NULL"):
        await service.update(session, post, unvalidated)
