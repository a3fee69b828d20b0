"""Request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

MAX_IMPORT_ROWS = 1000


def _lower(value: str) -> str:
    return value.lower()


class ContactCreate(BaseModel):
    """One contact, sent alone or as a row of an import."""

    model_config = ConfigDict(str_strip_whitespace=True)

    email: Annotated[EmailStr, AfterValidator(_lower)]
    name: str = Field(min_length=1, max_length=100)
    company: str | None = Field(default=None, max_length=100)


class ContactImport(BaseModel):
    """A batch of rows, stored all together or not at all."""

    contacts: list[ContactCreate] = Field(min_length=1, max_length=MAX_IMPORT_ROWS)


class ImportResult(BaseModel):
    """What an import stored: the new ids, in the order of the rows."""

    imported: int
    ids: list[int]


class ContactPublic(BaseModel):
    """A contact as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    company: str | None
    created_at: datetime


class ContactPage(BaseModel):
    """One page of contacts."""

    items: list[ContactPublic]
    total: int
    limit: int
    offset: int
