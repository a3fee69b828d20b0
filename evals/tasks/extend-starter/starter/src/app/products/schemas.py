"""Request and response bodies of products."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.schemas import UtcDatetime

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9-]{3,32}$")]
Price = Annotated[int, Field(gt=0, le=10_000_000)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class ProductCreate(BaseModel):
    """What a client sends to add a product."""

    name: Name
    sku: Sku
    price_cents: Price


class ProductUpdate(BaseModel):
    """Fields a client may change; absent fields stay as they are."""

    name: Name | None = None
    price_cents: Price | None = None


class ProductPublic(BaseModel):
    """A product as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    sku: str
    price_cents: int
    created_at: UtcDatetime
