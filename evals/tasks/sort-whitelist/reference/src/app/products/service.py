"""Product queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.products.exceptions import ProductNotFoundError
from app.products.models import Product
from app.products.schemas import ProductCreate
from app.products.sorting import SortKey, order_by


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
    session: AsyncSession,
    *,
    category: str | None,
    sort: list[SortKey],
    limit: int,
    offset: int,
) -> tuple[list[Product], int]:
    """One page of products in the requested order, and how many match in all."""
    statement = select(Product)
    if category is not None:
        statement = statement.where(Product.category == category)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(*order_by(sort)).limit(limit).offset(offset)
    )
    return list(rows), total or 0
