"""Request and response bodies: parents embed their children and vice versa."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AuthorCreate(BaseModel):
    """What a client sends to add an author."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class BookCreate(BaseModel):
    """What a client sends to add a book to an author."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    year: int = Field(ge=1000, le=2100)


class BookSummary(BaseModel):
    """A book as embedded in its author."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    year: int


class AuthorSummary(BaseModel):
    """An author as embedded in a book."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class AuthorPublic(BaseModel):
    """An author with all their books, oldest first."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    books: list[BookSummary]


class BookPublic(BaseModel):
    """A book with its author."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    year: int
    created_at: datetime
    author: AuthorSummary


class AuthorPage(BaseModel):
    """One page of authors."""

    items: list[AuthorPublic]
    total: int
    limit: int
    offset: int


class BookPage(BaseModel):
    """One page of books."""

    items: list[BookPublic]
    total: int
    limit: int
    offset: int
