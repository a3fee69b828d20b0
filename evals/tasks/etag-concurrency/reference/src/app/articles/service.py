"""Article queries and changes; every change is a compare-and-set on the version."""

from typing import Any

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.etags import matches
from app.articles.exceptions import (
    ArticleNotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
)
from app.articles.models import Article
from app.articles.schemas import ArticleWrite


async def create(session: AsyncSession, data: ArticleWrite) -> Article:
    """Save a new article at version 1."""
    article = Article(title=data.title, body=data.body, version=1)
    session.add(article)
    await session.commit()
    return article


async def get(session: AsyncSession, article_id: int) -> Article:
    """The article with this id.

    Raises:
        ArticleNotFoundError: When there is none.
    """
    article = await session.get(Article, article_id, populate_existing=True)
    if article is None:
        raise ArticleNotFoundError(article_id)
    return article


async def _checked(
    session: AsyncSession, article_id: int, if_match: str | None
) -> Article:
    """The article, if ``If-Match`` was sent and names its current version."""
    article = await get(session, article_id)
    if if_match is None:
        raise PreconditionRequiredError
    if not matches(if_match, article.version):
        raise PreconditionFailedError(article.version)
    return article


async def _conflict(session: AsyncSession, article_id: int) -> PreconditionFailedError:
    """The error for a change another request made first (or 404 if it deleted it)."""
    await session.rollback()
    return PreconditionFailedError((await get(session, article_id)).version)


async def change(
    session: AsyncSession, article_id: int, if_match: str | None, values: dict[str, Any]
) -> Article:
    """Apply ``values`` if the version is still the one ``If-Match`` names.

    Raises:
        ArticleNotFoundError: When there is no such article.
        PreconditionRequiredError: When ``If-Match`` is missing.
        PreconditionFailedError: When the version differs, now or by the time of the write.
    """
    article = await _checked(session, article_id, if_match)
    statement = (
        update(Article)
        .where(Article.id == article_id, Article.version == article.version)
        .values(**values, version=Article.version + 1)
    )
    result: CursorResult[Any] = await session.execute(statement)  # type: ignore[assignment]
    if result.rowcount != 1:
        raise await _conflict(session, article_id)
    await session.commit()
    return await get(session, article_id)


async def remove(session: AsyncSession, article_id: int, if_match: str | None) -> None:
    """Delete the article if the version is still the one ``If-Match`` names.

    Raises:
        ArticleNotFoundError: When there is no such article.
        PreconditionRequiredError: When ``If-Match`` is missing.
        PreconditionFailedError: When the version differs.
    """
    article = await _checked(session, article_id, if_match)
    statement = delete(Article).where(
        Article.id == article_id, Article.version == article.version
    )
    result: CursorResult[Any] = await session.execute(statement)  # type: ignore[assignment]
    if result.rowcount != 1:
        raise await _conflict(session, article_id)
    await session.commit()
