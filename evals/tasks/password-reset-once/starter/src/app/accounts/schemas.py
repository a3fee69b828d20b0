"""Request and response bodies; no response ever carries a password or its hash."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

Password = Annotated[str, Field(min_length=8, max_length=128)]


def _lower(value: str) -> str:
    return value.lower()


Email = Annotated[EmailStr, AfterValidator(_lower)]


class UserCreate(BaseModel):
    """Sign-up."""

    email: Email
    password: Password


class Login(BaseModel):
    """E-mail and password."""

    email: Email
    password: str = Field(max_length=128)


class UserPublic(BaseModel):
    """An account as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    created_at: datetime


class ResetRequest(BaseModel):
    """Ask for a reset link."""

    email: Email


class ResetConfirm(BaseModel):
    """Use a reset link: its token and the new password."""

    token: str = Field(min_length=1, max_length=200)
    new_password: str


class Accepted(BaseModel):
    """A request was accepted; the message says what happens next."""

    detail: str


class OutboxPublic(BaseModel):
    """A sent e-mail."""

    model_config = ConfigDict(from_attributes=True)

    to: str
    subject: str
    link: str
    sent_at: datetime


class OutboxPage(BaseModel):
    """One page of sent e-mails, newest first."""

    items: list[OutboxPublic]
    total: int
    limit: int
    offset: int
