"""Request and response bodies, and the tag name type."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    UrlConstraints,
)

MAX_TAGS = 10


def normalise_tag(value: object) -> object:
    """Trim and lower-case a tag name before it is checked."""
    return value.strip().lower() if isinstance(value, str) else value


TagName = Annotated[
    str,
    BeforeValidator(normalise_tag),
    StringConstraints(min_length=1, max_length=30, pattern=r"^[a-z0-9-]+$"),
]


def _distinct_sorted(names: list[str]) -> list[str]:
    """Each name once, sorted; at most ``MAX_TAGS`` of them."""
    unique = sorted(set(names))
    if len(unique) > MAX_TAGS:
        msg = f"a bookmark carries at most {MAX_TAGS} distinct tags"
        raise ValueError(msg)
    return unique


TagList = Annotated[list[TagName], AfterValidator(_distinct_sorted)]
Url = Annotated[
    AnyHttpUrl, UrlConstraints(max_length=2000, allowed_schemes=["http", "https"])
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class Match(StrEnum):
    """How several tags in a filter combine."""

    ALL = "all"
    ANY = "any"


class BookmarkCreate(BaseModel):
    """What a client sends to save a link."""

    url: Url
    title: Title
    tags: TagList = Field(default_factory=list)


class TagsReplace(BaseModel):
    """The complete new set of tags of a bookmark."""

    tags: TagList


class BookmarkPublic(BaseModel):
    """A bookmark as the API returns it; ``tags`` are names, sorted."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    title: str
    tags: list[str]
    created_at: datetime


class BookmarkPage(BaseModel):
    """One page of bookmarks."""

    items: list[BookmarkPublic]
    total: int
    limit: int
    offset: int


class TagUsage(BaseModel):
    """A tag and how many bookmarks carry it."""

    name: str
    bookmarks: int


class TagPage(BaseModel):
    """One page of tags."""

    items: list[TagUsage]
    total: int
    limit: int
    offset: int
