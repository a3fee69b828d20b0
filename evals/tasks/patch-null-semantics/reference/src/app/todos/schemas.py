"""Request and response bodies.

``TodoPatch`` keeps track of which fields were sent (``model_fields_set``), so a partial
update can tell "absent" from "sent as null"; non-nullable fields reject ``null``.
"""

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
Description = Annotated[str, Field(max_length=2000)]
Priority = Annotated[int, Field(ge=1, le=5)]
Email = Annotated[EmailStr, AfterValidator(str.lower)]

#: Fields that must never be cleared.
NOT_NULLABLE = ("title", "priority", "done")


class TodoCreate(BaseModel):
    """A whole to-do: the body of ``POST`` and ``PUT``; absent fields get defaults."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description | None = None
    due_on: date | None = None
    assignee_email: Email | None = None
    priority: Priority = 3
    done: bool = False


class TodoPatch(BaseModel):
    """A partial change: only the fields sent are applied."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    due_on: date | None = None
    assignee_email: Email | None = None
    priority: Priority | None = None
    done: bool | None = None

    @field_validator(*NOT_NULLABLE)
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            msg = "may not be null"
            raise ValueError(msg)
        return value


class TodoPublic(BaseModel):
    """A to-do as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str | None
    due_on: date | None
    assignee_email: str | None
    priority: int
    done: bool
    created_at: datetime
    updated_at: datetime


class TodoPage(BaseModel):
    """One page of to-dos."""

    items: list[TodoPublic]
    total: int
    limit: int
    offset: int
