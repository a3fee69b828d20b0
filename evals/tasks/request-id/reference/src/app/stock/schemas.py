"""Response bodies."""

from pydantic import BaseModel


class Stock(BaseModel):
    """How many units of a SKU the inventory holds."""

    sku: str
    stock: int
