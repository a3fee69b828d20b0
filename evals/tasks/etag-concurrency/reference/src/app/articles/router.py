"""HTTP routes of the articles domain."""

from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from fastapi.responses import JSONResponse

from app.articles import service
from app.articles.etags import etag, matches
from app.articles.schemas import ArticlePatch, ArticlePublic, ArticleWrite
from app.database import SessionDep

router = APIRouter(prefix="/articles", tags=["articles"])

IfMatch = Annotated[str | None, Header()]


def _tagged(response: Response, article: ArticlePublic) -> ArticlePublic:
    response.headers["ETag"] = etag(article.version)
    return article


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_article(
    data: ArticleWrite, session: SessionDep, response: Response
) -> ArticlePublic:
    """Write a new article."""
    article = await service.create(session, data)
    return _tagged(response, ArticlePublic.model_validate(article))


@router.get("/{article_id}", response_model=ArticlePublic)
async def get_article(
    article_id: int,
    session: SessionDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One article, or 304 when the client's copy is current."""
    article = ArticlePublic.model_validate(await service.get(session, article_id))
    headers = {"ETag": etag(article.version)}
    if if_none_match is not None and matches(if_none_match, article.version):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return JSONResponse(article.model_dump(mode="json"), headers=headers)


@router.put("/{article_id}")
async def replace_article(
    article_id: int,
    data: ArticleWrite,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> ArticlePublic:
    """Replace the title and body of the version the client has seen."""
    article = await service.change(session, article_id, if_match, data.model_dump())
    return _tagged(response, ArticlePublic.model_validate(article))


@router.patch("/{article_id}")
async def patch_article(
    article_id: int,
    data: ArticlePatch,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> ArticlePublic:
    """Change the fields sent, on the version the client has seen."""
    values = data.model_dump(exclude_unset=True, exclude_none=True)
    article = await service.change(session, article_id, if_match, values)
    return _tagged(response, ArticlePublic.model_validate(article))


@router.delete("/{article_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_article(
    article_id: int, session: SessionDep, if_match: IfMatch = None
) -> None:
    """Delete the version the client has seen."""
    await service.remove(session, article_id, if_match)
