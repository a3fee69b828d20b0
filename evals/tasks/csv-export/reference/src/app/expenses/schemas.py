"""Request and response bodies."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class ExpenseCreate(BaseModel):
    """What a client sends to record an expense."""

    description: str = Field(min_length=1, max_length=500)
    category: str = Field(min_length=1, max_length=50)
    amount_cents: int = Field(ge=1, le=100_000_000)
    spent_on: date


class ExpensePublic(BaseModel):
    """An expense as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    description: str
    category: str
    amount_cents: int
    spent_on: date
    created_at: datetime


class ExpensePage(BaseModel):
    """One page of expenses."""

    items: list[ExpensePublic]
    total: int
    limit: int
    offset: int
