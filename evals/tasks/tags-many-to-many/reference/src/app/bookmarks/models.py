"""Bookmarks, tags and the association table between them.

The relationship is ``lazy="raise"``: a query that needs tags must say how to load them,
so an N+1 pattern fails loudly instead of running slowly.
"""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, utc_now

bookmark_tag = Table(
    "bookmark_tag",
    Base.metadata,
    Column(
        "bookmark_id",
        ForeignKey("bookmark.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    """A label, shared by every bookmark that carries it."""

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)


class Bookmark(Base):
    """A saved link."""

    __tablename__ = "bookmark"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    tags: Mapped[list[Tag]] = relationship(
        secondary=bookmark_tag, order_by=Tag.name, lazy="raise"
    )
