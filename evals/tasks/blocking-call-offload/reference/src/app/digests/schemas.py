"""Request and response bodies."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

DEFAULT_ITERATIONS = 600_000

Content = Annotated[str, Field(min_length=1, max_length=100_000)]


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive UTC timestamps: mark them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class DigestCreate(BaseModel):
    """A document to digest."""

    label: Annotated[str, Field(min_length=1, max_length=100)]
    content: Content
    salt: Annotated[str, Field(min_length=1, max_length=64)]
    iterations: Annotated[int, Field(ge=1_000, le=3_000_000)] = DEFAULT_ITERATIONS


class DigestPublic(BaseModel):
    """A stored digest as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    label: str
    salt: str
    iterations: int
    digest: str
    created_at: UtcDatetime


class DigestPage(BaseModel):
    """One page of digests."""

    items: list[DigestPublic]
    total: int
    limit: int
    offset: int


class VerifyRequest(BaseModel):
    """A document to check against a stored digest."""

    content: Content


class VerifyResult(BaseModel):
    """Whether the document matches the stored digest."""

    id: int
    match: bool
