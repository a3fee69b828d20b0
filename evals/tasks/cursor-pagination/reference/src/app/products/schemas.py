"""Request and response bodies."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Category = Annotated[str, Field(min_length=1, max_length=50)]


class ProductCreate(BaseModel):
    """A new product."""

    name: str = Field(min_length=1, max_length=200)
    category: Category
    price_cents: int = Field(ge=0, le=100_000_000)


class ProductPublic(BaseModel):
    """A product as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    category: str
    price_cents: int


class ProductPage(BaseModel):
    """One page of products, by offset."""

    items: list[ProductPublic]
    total: int
    limit: int
    offset: int


class ProductCursorPage(BaseModel):
    """One page of products, by cursor; ``next_cursor`` is None on the last page."""

    items: list[ProductPublic]
    next_cursor: str | None
