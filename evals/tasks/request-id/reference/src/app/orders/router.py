"""HTTP routes of the orders domain."""

from fastapi import APIRouter, status

from app.database import SessionDep
from app.orders import service
from app.orders.schemas import OrderCreate, OrderPublic

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_order(data: OrderCreate, session: SessionDep) -> OrderPublic:
    """Place an order."""
    return OrderPublic.model_validate(await service.create(session, data))


@router.get("/{order_id}")
async def get_order(order_id: int, session: SessionDep) -> OrderPublic:
    """One order."""
    return OrderPublic.model_validate(await service.get(session, order_id))
