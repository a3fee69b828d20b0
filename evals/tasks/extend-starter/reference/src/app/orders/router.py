"""HTTP routes of orders."""

from fastapi import APIRouter, status

from app.database import SessionDep
from app.orders import service
from app.orders.schemas import OrderCreate, OrderPublic
from app.schemas import Limit, Offset, Page

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def place_order(data: OrderCreate, session: SessionDep) -> OrderPublic:
    """Place an order: stock is taken for every line, or for none."""
    return OrderPublic.model_validate(await service.place(session, data))


@router.get("")
async def list_orders(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> Page[OrderPublic]:
    """One page of orders, newest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [OrderPublic.model_validate(row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{order_id}")
async def get_order(order_id: int, session: SessionDep) -> OrderPublic:
    """One order with its lines."""
    return OrderPublic.model_validate(await service.get(session, order_id))
