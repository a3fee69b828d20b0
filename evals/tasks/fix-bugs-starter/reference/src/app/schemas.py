"""Bodies shared by every resource."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, BaseModel


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive UTC timestamps: mark them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


#: A timestamp that always carries a timezone in responses.
UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


class Page[T](BaseModel):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int
