"""Request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

UtcDatetime = Annotated[datetime | None, AfterValidator(lambda value: value)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class CustomerCreate(BaseModel):
    """A new customer."""

    name: Name
    email: EmailStr


class CustomerUpdate(BaseModel):
    """A partial change: only the fields sent are changed."""

    name: Name | None = None
    email: EmailStr | None = None


class CustomerPublic(BaseModel):
    """A customer as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str
    deleted_at: UtcDatetime


class CustomerPage(BaseModel):
    """One page of customers."""

    items: list[CustomerPublic]
    total: int
    limit: int
    offset: int
