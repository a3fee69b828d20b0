"""Received events (their ids make deliveries idempotent) and payments."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utc_now


class Event(Base):
    """An event the provider delivered; the primary key is the provider's id."""

    __tablename__ = "webhook_event"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(default=utc_now)


class Payment(Base):
    """A payment's latest known state."""

    __tablename__ = "payment"

    payment_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
