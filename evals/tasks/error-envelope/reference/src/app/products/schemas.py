"""Request and response bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ProductCreate(BaseModel):
    """What a client sends to add a product."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(pattern=r"^[A-Z0-9-]{3,32}$")
    name: str = Field(min_length=1, max_length=200)
    price_cents: int = Field(ge=0)
    stock: int = Field(default=0, ge=0)


class Reservation(BaseModel):
    """How many units to take out of stock."""

    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1)


class ProductPublic(BaseModel):
    """A product as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    price_cents: int
    stock: int
    created_at: datetime


class ProductPage(BaseModel):
    """One page of products."""

    items: list[ProductPublic]
    total: int
    limit: int
    offset: int
