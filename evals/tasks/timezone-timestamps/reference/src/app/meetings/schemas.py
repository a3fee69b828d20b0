"""Request and response bodies: aware timestamps in, UTC timestamps (``Z``) out."""

from datetime import UTC, datetime
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; naive values (read back from SQLite) are UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: An input timestamp: an offset is required; it is converted to UTC.
AwareInput = Annotated[AwareDatetime, AfterValidator(as_utc)]
#: An output timestamp: always UTC, serialised with a ``Z``.
UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]


class MeetingCreate(BaseModel):
    """A new meeting; the end comes after the start."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    starts_at: AwareInput
    ends_at: AwareInput

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_at <= self.starts_at:
            msg = "ends_at must be after starts_at"
            raise ValueError(msg)
        return self


class MeetingPublic(BaseModel):
    """A meeting as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    created_at: UtcDatetime


class MeetingPage(BaseModel):
    """One page of meetings."""

    items: list[MeetingPublic]
    total: int
    limit: int
    offset: int
