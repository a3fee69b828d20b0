"""Request and response bodies of the catalogue."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

Isbn = Annotated[str, Field(pattern=r"^\d{13}$", description="ISBN-13, digits only")]
Year = Annotated[int, Field(ge=1450, le=2100)]


class Timestamped(BaseModel):
    """A row with a creation time, always returned with a timezone."""

    model_config = ConfigDict(from_attributes=True)

    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        """SQLite returns naive UTC timestamps: mark them as UTC."""
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class AuthorCreate(BaseModel):
    """What a client sends to add an author."""

    name: str = Field(min_length=1, max_length=200)


class AuthorPublic(Timestamped):
    """An author as the API returns it."""

    id: int
    name: str


class BookCreate(BaseModel):
    """What a client sends to add a book."""

    title: str = Field(min_length=1, max_length=300)
    isbn: Isbn
    author_id: int
    published_year: Year | None = None


class BookUpdate(BaseModel):
    """Fields of a book a client may change; absent fields stay as they are."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    published_year: Year | None = None

    @field_validator("title")
    @classmethod
    def title_not_null(cls, title: str | None) -> str:
        """Omit the title to keep it; null is a 422 (published_year may be cleared)."""
        if title is None:
            msg = "may be omitted but not null"
            raise ValueError(msg)
        return title


class BookPublic(Timestamped):
    """A book as the API returns it."""

    id: int
    title: str
    isbn: str
    author_id: int
    published_year: int | None


class Page[T](BaseModel):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int
