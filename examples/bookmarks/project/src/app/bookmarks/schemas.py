"""Request and response bodies."""

from datetime import datetime

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field


class BookmarkCreate(BaseModel):
    """What a client sends to save a link."""

    url: AnyHttpUrl
    title: str = Field(min_length=1, max_length=200)


class BookmarkPublic(BaseModel):
    """A bookmark as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    title: str
    created_at: datetime


class BookmarkPage(BaseModel):
    """One page of bookmarks."""

    items: list[BookmarkPublic]
    total: int
    limit: int
    offset: int
