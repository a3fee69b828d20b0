"""Request and response bodies of the posts domain."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes: they are UTC, so say so."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UTCDateTime = Annotated[datetime, AfterValidator(_as_utc)]


class PostCreate(BaseModel):
    """What a client sends to create a post."""

    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=10_000)


class PostUpdate(BaseModel):
    """A partial update: only the fields sent are changed."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, min_length=1, max_length=10_000)


class PostPublic(BaseModel):
    """A post as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    created_at: UTCDateTime
    updated_at: UTCDateTime | None
