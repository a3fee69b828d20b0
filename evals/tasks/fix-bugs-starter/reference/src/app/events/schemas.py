"""Request and response bodies of events and registrations."""

from datetime import UTC
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field

from app.schemas import UtcDatetime


class EventCreate(BaseModel):
    """What an organiser sends to create an event."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    starts_at: AwareDatetime
    capacity: Annotated[int, Field(ge=1, le=10_000)]

    def starts_at_utc(self) -> AwareDatetime:
        """The start converted to UTC (the database keeps UTC only)."""
        return self.starts_at.astimezone(UTC)


class EventPublic(BaseModel):
    """An event as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    starts_at: UtcDatetime
    capacity: int
    seats_left: int
    created_at: UtcDatetime


class RegistrationCreate(BaseModel):
    """What a person sends to take a seat."""

    email: EmailStr
    name: Annotated[str, Field(min_length=1, max_length=100)]


class RegistrationPublic(BaseModel):
    """A registration as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    email: str
    name: str
    created_at: UtcDatetime
