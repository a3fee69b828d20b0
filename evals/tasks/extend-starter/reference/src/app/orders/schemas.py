"""Request and response bodies of orders."""

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from app.schemas import UtcDatetime


class OrderLineCreate(BaseModel):
    """One product and how many of it."""

    product_id: int
    quantity: Annotated[int, Field(ge=1, le=1000)]


class OrderCreate(BaseModel):
    """What a client sends to place an order."""

    lines: Annotated[list[OrderLineCreate], Field(min_length=1, max_length=50)]

    @model_validator(mode="after")
    def _distinct_products(self) -> Self:
        products = [line.product_id for line in self.lines]
        if len(set(products)) != len(products):
            msg = "each product may appear on one line only"
            raise ValueError(msg)
        return self


class OrderLinePublic(BaseModel):
    """A line of an order as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    product_id: int
    quantity: int
    unit_price_cents: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def line_total_cents(self) -> int:
        """Quantity times unit price."""
        return self.quantity * self.unit_price_cents


class OrderPublic(BaseModel):
    """An order as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    lines: list[OrderLinePublic]
    total_cents: int
    created_at: UtcDatetime
