"""HTTP routes of the shipments domain."""

from fastapi import APIRouter, status

from app.database import SessionDep
from app.shipments import service
from app.shipments.schemas import ShipmentCreate, ShipmentPublic

router = APIRouter(prefix="/shipments", tags=["shipments"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_shipment(data: ShipmentCreate, session: SessionDep) -> ShipmentPublic:
    """Register a shipment."""
    return ShipmentPublic.model_validate(await service.create(session, data))


@router.get("/{shipment_id}")
async def get_shipment(shipment_id: int, session: SessionDep) -> ShipmentPublic:
    """One shipment."""
    return ShipmentPublic.model_validate(await service.get(session, shipment_id))
