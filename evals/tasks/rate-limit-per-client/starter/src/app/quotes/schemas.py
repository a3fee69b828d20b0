"""Request and response bodies of the quotes domain."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive UTC timestamps: mark them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class QuoteCreate(BaseModel):
    """A new quote."""

    text: Annotated[str, Field(min_length=1, max_length=1000)]
    author: Annotated[str, Field(min_length=1, max_length=100)]


class QuotePublic(BaseModel):
    """A quote as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    author: str
    created_at: Annotated[datetime, AfterValidator(_as_utc)]


class QuotePage(BaseModel):
    """One page of quotes."""

    items: list[QuotePublic]
    total: int
    limit: int
    offset: int
