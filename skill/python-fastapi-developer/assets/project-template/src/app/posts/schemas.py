"""Request and response bodies of the posts domain."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes: they are UTC, so say so."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UTCDateTime = Annotated[datetime, AfterValidator(_as_utc)]


class PostCreate(BaseModel):
    """What a client sends to create a post."""

    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=10_000)


class PostUpdate(BaseModel):
    """A partial update: only the fields sent are changed (``exclude_unset=True``)."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    content: str | None = Field(default=None, min_length=1, max_length=10_000)

    @field_validator("title", "content")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        """Omit a field to keep it; an explicit null is a 422 (the columns are NOT NULL).

        Defaults are not validated, so this runs only for values the client sent.
        """
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class PostPublic(BaseModel):
    """A post as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    created_at: UTCDateTime
    updated_at: UTCDateTime | None
