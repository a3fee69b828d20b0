"""Request and response bodies; only ``KeyCreated`` ever carries the key."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Scope(StrEnum):
    """What a key may do."""

    READ = "read"
    WRITE = "write"


def _distinct_sorted(scopes: list[Scope]) -> list[Scope]:
    if len(set(scopes)) != len(scopes):
        msg = "each scope at most once"
        raise ValueError(msg)
    return sorted(scopes)


class KeyCreate(BaseModel):
    """What an administrator sends to issue a key."""

    name: str = Field(min_length=1, max_length=100)
    scopes: Annotated[
        list[Scope], Field(min_length=1), AfterValidator(_distinct_sorted)
    ]


class KeyPublic(BaseModel):
    """A key's metadata: never the key nor its hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    scopes: list[Scope]
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyCreated(KeyPublic):
    """The metadata and, this once, the key itself."""

    key: str


class KeyPage(BaseModel):
    """One page of keys."""

    items: list[KeyPublic]
    total: int
    limit: int
    offset: int


class Caller(BaseModel):
    """Who a partner's key says they are."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    scopes: list[Scope]


class MessageCreate(BaseModel):
    """What a partner posts."""

    text: str = Field(min_length=1, max_length=500)


class MessagePublic(BaseModel):
    """A posted message."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    key_id: int
