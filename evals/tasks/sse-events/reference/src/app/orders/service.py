"""Order queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.exceptions import OrderNotFoundError
from app.orders.models import Order
from app.orders.schemas import OrderCreate


async def create(session: AsyncSession, data: OrderCreate) -> Order:
    """Save a new order."""
    order = Order(**data.model_dump())
    session.add(order)
    await session.commit()
    await session.refresh(order)
    return order


async def get(session: AsyncSession, order_id: int) -> Order:
    """The order with this id.

    Raises:
        OrderNotFoundError: When there is none.
    """
    order = await session.get(Order, order_id)
    if order is None:
        raise OrderNotFoundError(order_id)
    return order


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Order], int]:
    """One page of orders, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(Order))
    rows = await session.scalars(
        select(Order).order_by(Order.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def created_after(session: AsyncSession, order_id: int) -> list[Order]:
    """Every order newer than ``order_id``, oldest first (to replay a feed)."""
    rows = await session.scalars(
        select(Order).where(Order.id > order_id).order_by(Order.id)
    )
    return list(rows)
