"""Placing and reading orders."""

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.exceptions import InsufficientStockError, OrderNotFoundError
from app.orders.models import Order, OrderLine
from app.orders.schemas import OrderCreate
from app.products.exceptions import ProductNotFoundError
from app.products.models import Product


async def place(session: AsyncSession, data: OrderCreate) -> Order:
    """Take the stock of every line and save the order, all or nothing.

    Each line's stock is taken with one conditional ``UPDATE``, so concurrent orders
    can never sell more than the stock.

    Raises:
        ProductNotFoundError: When a line names an unknown product.
        InsufficientStockError: When a product has less stock than ordered.
    """
    ids = [line.product_id for line in data.lines]
    products = {
        product.id: product
        for product in await session.scalars(select(Product).where(Product.id.in_(ids)))
    }
    order = Order(total_cents=0)
    try:
        for line in data.lines:
            product = products.get(line.product_id)
            if product is None:
                raise ProductNotFoundError(line.product_id)
            taken = await session.execute(
                update(Product)
                .where(Product.id == product.id, Product.stock >= line.quantity)
                .values(stock=Product.stock - line.quantity)
                .returning(Product.id)
            )
            if taken.first() is None:
                raise InsufficientStockError(product.id)
            order.lines.append(
                OrderLine(
                    product_id=product.id,
                    quantity=line.quantity,
                    unit_price_cents=product.price_cents,
                )
            )
            order.total_cents += line.quantity * product.price_cents
    except (ProductNotFoundError, InsufficientStockError):
        await session.rollback()
        raise
    session.add(order)
    await session.commit()
    return await get(session, order.id)


async def get(session: AsyncSession, order_id: int) -> Order:
    """The order with this id, with its lines.

    Raises:
        OrderNotFoundError: When there is none.
    """
    order = await session.get(Order, order_id, populate_existing=True)
    if order is None:
        raise OrderNotFoundError(order_id)
    return order


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Order], int]:
    """One page of orders, newest first, and the total count."""
    total = await session.scalar(select(func.count()).select_from(Order)) or 0
    rows = await session.scalars(
        select(Order).order_by(Order.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total
