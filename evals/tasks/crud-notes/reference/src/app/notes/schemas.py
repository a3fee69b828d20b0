"""Request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
Body = Annotated[str, Field(max_length=10_000)]


class NoteCreate(BaseModel):
    """What a client sends to write a note."""

    title: Title
    body: Body = ""
    pinned: bool = False


class NoteUpdate(BaseModel):
    """A partial change: only the fields sent are changed."""

    title: Title | None = None
    body: Body | None = None
    pinned: bool | None = None


class NotePublic(BaseModel):
    """A note as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    body: str
    pinned: bool
    created_at: datetime
    updated_at: datetime


class NotePage(BaseModel):
    """One page of notes."""

    items: list[NotePublic]
    total: int
    limit: int
    offset: int
