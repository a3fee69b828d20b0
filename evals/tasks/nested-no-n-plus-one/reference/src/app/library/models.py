"""Authors and their books.

Relationships are ``lazy="raise"``: a query that needs children must say how to load
them, so an N+1 pattern fails loudly instead of running slowly.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, utc_now


class Author(Base):
    """A writer; deleting one deletes their books."""

    __tablename__ = "author"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    books: Mapped[list["Book"]] = relationship(
        back_populates="author",
        order_by="Book.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise",
    )


class Book(Base):
    """A book by one author."""

    __tablename__ = "book"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("author.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    author: Mapped[Author] = relationship(back_populates="books", lazy="raise")
