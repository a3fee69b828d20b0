"""Request and response bodies."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Currency(StrEnum):
    """The currencies we accept."""

    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"


class PaymentCreate(BaseModel):
    """A payment to capture."""

    amount_cents: int = Field(ge=1, le=1_000_000)
    currency: Currency
    description: str = Field(default="", max_length=200)


class PaymentPublic(BaseModel):
    """A payment as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    amount_cents: int
    currency: str
    description: str
    status: str


class PaymentPage(BaseModel):
    """One page of an account's payments."""

    items: list[PaymentPublic]
    total: int
    limit: int
    offset: int
