"""Product queries and writes."""

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.products.exceptions import (
    InsufficientStockError,
    ProductNotFoundError,
    SkuTakenError,
)
from app.products.models import Product
from app.products.schemas import ProductCreate


async def create(session: AsyncSession, data: ProductCreate) -> Product:
    """Add a product.

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


async def reserve(session: AsyncSession, product_id: int, quantity: int) -> Product:
    """Take units out of stock, atomically: two reservations never oversell.

    Raises:
        ProductNotFoundError: When there is no such product.
        InsufficientStockError: When fewer than ``quantity`` units are left.
    """
    product = await get(session, product_id)
    remaining = await session.scalar(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .returning(Product.stock)
    )
    if remaining is None:
        await session.rollback()
        await session.refresh(product)
        raise InsufficientStockError(quantity, product.stock)
    await session.commit()
    await session.refresh(product)
    return product


async def delete(session: AsyncSession, product_id: int) -> None:
    """Remove a product.

    Raises:
        ProductNotFoundError: When there is none.
    """
    product = await get(session, product_id)
    await session.delete(product)
    await session.commit()
