"""Request and response bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ProductCreate(BaseModel):
    """What a client sends to add a product."""

    name: str = Field(min_length=1, max_length=100)
    category: str = Field(min_length=1, max_length=50)
    price: int = Field(ge=0)
    stock: int = Field(ge=0)
    cost: int = Field(ge=0)


class ProductPublic(BaseModel):
    """A product as the API returns it (never its cost)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    category: str
    price: int
    stock: int
    created_at: datetime


class ProductPage(BaseModel):
    """One page of products."""

    items: list[ProductPublic]
    total: int
    limit: int
    offset: int
