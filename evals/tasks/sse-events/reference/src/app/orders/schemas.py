"""Request and response bodies."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive UTC timestamps: mark them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class OrderCreate(BaseModel):
    """A new order."""

    customer: Annotated[str, Field(min_length=1, max_length=100)]
    total_cents: Annotated[int, Field(ge=0)]


class OrderPublic(BaseModel):
    """An order as the API (and the feed) shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    customer: str
    total_cents: int
    created_at: Annotated[datetime, AfterValidator(_as_utc)]


class OrderPage(BaseModel):
    """One page of orders."""

    items: list[OrderPublic]
    total: int
    limit: int
    offset: int
