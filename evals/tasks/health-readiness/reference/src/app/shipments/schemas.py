"""Request and response bodies."""

from pydantic import BaseModel, ConfigDict, Field


class ShipmentCreate(BaseModel):
    """A new shipment."""

    reference: str = Field(min_length=1, max_length=50)


class ShipmentPublic(BaseModel):
    """A shipment as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
