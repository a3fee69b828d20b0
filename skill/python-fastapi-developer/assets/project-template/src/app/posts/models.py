"""ORM model of the posts domain."""

from datetime import datetime

from sqlalchemy import DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base


class Post(Base):
    """A titled text; timestamps are timezone-aware and set by the database."""

    __tablename__ = "post"
    # created_at comes back with the INSERT anyway (eager_defaults="auto"); updated_at,
    # set by the database on UPDATE, would stay expired and raise MissingGreenlet when
    # read: fetch it with RETURNING on every flush.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now()
    )
