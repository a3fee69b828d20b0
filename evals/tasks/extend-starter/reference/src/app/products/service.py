"""Product queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import OrderLine
from app.products.exceptions import (
    ProductInOrdersError,
    ProductNotFoundError,
    SkuTakenError,
)
from app.products.models import Product
from app.products.schemas import ProductCreate, ProductUpdate


async def create(session: AsyncSession, data: ProductCreate) -> Product:
    """Save a new product.

    Raises:
        SkuTakenError: When another product has the same SKU.
    """
    product = Product(**data.model_dump())
    session.add(product)
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise SkuTakenError(data.sku) from error
    await session.refresh(product)
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
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Product], int]:
    """One page of products, oldest first, and the total count."""
    total = await session.scalar(select(func.count()).select_from(Product)) or 0
    rows = await session.scalars(
        select(Product).order_by(Product.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def update(
    session: AsyncSession, product_id: int, data: ProductUpdate
) -> Product:
    """Change the fields the client sent.

    Raises:
        ProductNotFoundError: When there is none.
    """
    product = await get(session, product_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(product, field, value)
    await session.commit()
    await session.refresh(product)
    return product


async def delete(session: AsyncSession, product_id: int) -> None:
    """Delete a product that no order refers to.

    Raises:
        ProductNotFoundError: When there is none.
        ProductInOrdersError: When an order line refers to it.
    """
    product = await get(session, product_id)
    ordered = await session.scalar(
        select(OrderLine.id).where(OrderLine.product_id == product_id).limit(1)
    )
    if ordered is not None:
        raise ProductInOrdersError(product_id)
    await session.delete(product)
    await session.commit()
