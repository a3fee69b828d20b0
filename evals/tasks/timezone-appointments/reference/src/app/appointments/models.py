"""The booking table; every timestamp is a UTC instant (see ``UTCDateTime``)."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utc_now


class Booking(Base):
    """A room booked from ``starts_at`` (inclusive) to ``ends_at`` (exclusive)."""

    __tablename__ = "booking"
    __table_args__ = (Index("booking_room_starts_at_idx", "room", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    duration_minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
