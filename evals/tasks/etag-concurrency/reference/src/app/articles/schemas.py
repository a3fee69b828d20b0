"""Request and response bodies."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Title = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(max_length=20_000)]


class ArticleWrite(BaseModel):
    """A whole article, to create or replace one."""

    title: Title
    body: Body = ""


class ArticlePatch(BaseModel):
    """A partial change: only the fields sent are changed."""

    title: Title | None = None
    body: Body | None = None


class ArticlePublic(BaseModel):
    """An article as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    body: str
    version: int
