"""Product queries and writes."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.products import cursors
from app.products.exceptions import ProductNotFoundError
from app.products.models import Product
from app.products.schemas import ProductCreate


async def create(session: AsyncSession, data: ProductCreate) -> Product:
    """Save a new product."""
    product = Product(**data.model_dump())
    session.add(product)
    await session.commit()
    return product


async def get(session: AsyncSession, product_id: int) -> Product:
    """The product with this id.

    Raises:
        ProductNotFoundError: When there is none.
    """
    product = await session.get(Product, product_id)
    if product is None:
        raise ProductNotFoundError(product_id)
    return product


async def delete(session: AsyncSession, product_id: int) -> None:
    """Delete a product.

    Raises:
        ProductNotFoundError: When there is none.
    """
    await session.delete(await get(session, product_id))
    await session.commit()


async def list_page(
    session: AsyncSession, *, limit: int, offset: int, category: str | None
) -> tuple[list[Product], int]:
    """One page of products in id order, and how many match."""
    statement = select(Product)
    if category is not None:
        statement = statement.where(Product.category == category)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Product.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def list_by_price(
    session: AsyncSession, *, limit: int, cursor: str | None, category: str | None
) -> tuple[list[Product], str | None]:
    """Cheapest first, ties by id: the page after ``cursor``, and the next cursor.

    Raises:
        InvalidCursorError: When ``cursor`` was not issued by this service.
    """
    statement = select(Product)
    if category is not None:
        statement = statement.where(Product.category == category)
    if cursor is not None:
        after = cursors.decode(cursor)
        statement = statement.where(
            or_(
                Product.price_cents > after.price_cents,
                and_(Product.price_cents == after.price_cents, Product.id > after.id),
            )
        )
    statement = statement.order_by(Product.price_cents, Product.id).limit(limit + 1)
    rows = list(await session.scalars(statement))
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    position = cursors.Position(price_cents=last.price_cents, id=last.id)
    return rows[:limit], cursors.encode(position)
