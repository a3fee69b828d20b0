"""Request and response bodies of the auth domain."""

from typing import Annotated

from pydantic import BaseModel, Field

from app.auth.scopes import Scope


class Token(BaseModel):
    """The OAuth2 token response."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - a scheme name, not a secret
    scope: str


class UserCreate(BaseModel):
    """A new account."""

    username: Annotated[str, Field(pattern=r"^[a-z0-9_]{3,30}$")]
    password: Annotated[str, Field(min_length=8, max_length=128)]
    scopes: list[Scope] = []


class UserPublic(BaseModel):
    """An account as the API shows it (no password hash)."""

    id: int
    username: str
    scopes: list[str]


class Me(BaseModel):
    """Who a token belongs to and what it allows."""

    username: str
    scopes: list[str]
