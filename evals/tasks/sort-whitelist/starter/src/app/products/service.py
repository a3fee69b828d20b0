"""Product queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.products.exceptions import ProductNotFoundError
from app.products.models import Product
from app.products.schemas import ProductCreate


async def create(session: AsyncSession, data: ProductCreate) -> Product:
    """Add a product."""
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


async def list_page(
    session: AsyncSession, *, category: str | None, limit: int, offset: int
) -> tuple[list[Product], int]:
    """One page of products, oldest first, and how many match in all."""
    statement = select(Product)
    if category is not None:
        statement = statement.where(Product.category == category)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Product.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0
