"""Order queries and writes."""

from fastapi import HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from app import request_id
from app.orders.models import Order
from app.orders.schemas import OrderCreate


async def create(session: AsyncSession, data: OrderCreate) -> Order:
    """Save an order, stamped with the current request id."""
    order = Order(**data.model_dump(), request_id=request_id.current() or "")
    session.add(order)
    await session.commit()
    return order


async def get(session: AsyncSession, order_id: int) -> Order:
    """The order with this id.

    Raises:
        HTTPException: 404 when there is none.
    """
    order = await session.get(Order, order_id)
    if order is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail=f"order {order_id} not found"
        )
    return order
