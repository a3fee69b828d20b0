"""Shipment queries and writes."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.shipments.models import Shipment
from app.shipments.schemas import ShipmentCreate


class ShipmentNotFoundError(Exception):
    """No shipment has the requested id."""

    def __init__(self, shipment_id: int) -> None:
        """Name the missing shipment."""
        super().__init__(f"shipment {shipment_id} not found")


async def create(session: AsyncSession, data: ShipmentCreate) -> Shipment:
    """Save a new shipment."""
    shipment = Shipment(reference=data.reference)
    session.add(shipment)
    await session.commit()
    return shipment


async def get(session: AsyncSession, shipment_id: int) -> Shipment:
    """The shipment with this id.

    Raises:
        ShipmentNotFoundError: When there is none.
    """
    shipment = await session.get(Shipment, shipment_id)
    if shipment is None:
        raise ShipmentNotFoundError(shipment_id)
    return shipment
