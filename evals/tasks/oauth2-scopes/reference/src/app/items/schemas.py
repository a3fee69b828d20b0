"""Request and response bodies of the items domain."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive UTC timestamps: mark them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class ItemCreate(BaseModel):
    """A new stock line."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[int, Field(ge=0)]


class ItemPublic(BaseModel):
    """An item as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    quantity: int
    created_by: str
    created_at: Annotated[datetime, AfterValidator(_as_utc)]


class ItemPage(BaseModel):
    """One page of items."""

    items: list[ItemPublic]
    total: int
    limit: int
    offset: int
