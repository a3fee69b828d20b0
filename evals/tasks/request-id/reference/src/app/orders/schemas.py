"""Request and response bodies."""

from pydantic import BaseModel, ConfigDict, Field


class OrderCreate(BaseModel):
    """A new order."""

    sku: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
    quantity: int = Field(ge=1, le=100)


class OrderPublic(BaseModel):
    """An order as the API returns it, with the id of the request that created it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    quantity: int
    request_id: str
