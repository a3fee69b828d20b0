"""Request and response bodies of products."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.schemas import UtcDatetime

Sku = Annotated[str, Field(pattern=r"^[A-Z0-9-]{3,32}$")]
Price = Annotated[int, Field(gt=0, le=10_000_000)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Stock = Annotated[int, Field(ge=0, le=1_000_000)]


class ProductCreate(BaseModel):
    """What a client sends to add a product."""

    name: Name
    sku: Sku
    price_cents: Price
    stock: Stock = 0


class ProductUpdate(BaseModel):
    """Fields a client may change; absent fields stay as they are."""

    name: Name | None = None
    price_cents: Price | None = None
    stock: Stock | None = None

    @field_validator("name", "price_cents", "stock")
    @classmethod
    def not_null(cls, value: object) -> object:
        """Omit a field to keep it; null is a 422, the columns are NOT NULL."""
        if value is None:
            msg = "may be omitted but not null"
            raise ValueError(msg)
        return value


class ProductPublic(BaseModel):
    """A product as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    sku: str
    price_cents: int
    stock: int
    created_at: UtcDatetime
