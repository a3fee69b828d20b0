"""Request and response bodies, and the ``tz`` query parameter."""

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from app.appointments.zones import zone

Room = Annotated[str, Field(min_length=1, max_length=50)]
ZoneName = Annotated[str, AfterValidator(lambda name: zone(name).key)]


class BookingCreate(BaseModel):
    """What a client sends to book a room; ``starts_at`` must carry an offset."""

    room: Room
    title: str = Field(min_length=1, max_length=200)
    starts_at: AwareDatetime
    duration_minutes: int = Field(ge=5, le=480)


class BookingPublic(BaseModel):
    """A booking, its times in one zone."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    room: str
    title: str
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    created_at: datetime

    def in_zone(self, tz: ZoneInfo) -> "BookingPublic":
        """The same booking with every time given in ``tz``."""
        return self.model_copy(
            update={
                "starts_at": self.starts_at.astimezone(tz),
                "ends_at": self.ends_at.astimezone(tz),
                "created_at": self.created_at.astimezone(tz),
            }
        )


class BookingPage(BaseModel):
    """One page of bookings."""

    items: list[BookingPublic]
    total: int
    limit: int
    offset: int


class DaySchedule(BaseModel):
    """A room's bookings that start on one local day."""

    room: str
    date: str
    tz: str
    items: list[BookingPublic]
