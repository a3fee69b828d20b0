"""HTTP routes of the products domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.products import service
from app.products.schemas import (
    Category,
    ProductCreate,
    ProductCursorPage,
    ProductPage,
    ProductPublic,
)

router = APIRouter(prefix="/products", tags=["products"])

Limit = Annotated[int, Query(ge=1, le=100)]
CategoryFilter = Annotated[Category | None, Query()]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_product(data: ProductCreate, session: SessionDep) -> ProductPublic:
    """Add a product."""
    return ProductPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_products(
    session: SessionDep,
    limit: Limit = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    category: CategoryFilter = None,
) -> ProductPage:
    """One page of products in the order they were added."""
    rows, total = await service.list_page(
        session, limit=limit, offset=offset, category=category
    )
    items = [ProductPublic.model_validate(row) for row in rows]
    return ProductPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/by-price")
async def list_products_by_price(
    session: SessionDep,
    limit: Limit = 20,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    category: CategoryFilter = None,
) -> ProductCursorPage:
    """One page of products, cheapest first, after the cursor."""
    rows, next_cursor = await service.list_by_price(
        session, limit=limit, cursor=cursor, category=category
    )
    items = [ProductPublic.model_validate(row) for row in rows]
    return ProductCursorPage(items=items, next_cursor=next_cursor)


@router.get("/{product_id}")
async def get_product(product_id: int, session: SessionDep) -> ProductPublic:
    """One product."""
    return ProductPublic.model_validate(await service.get(session, product_id))


@router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_product(product_id: int, session: SessionDep) -> None:
    """Remove a product."""
    await service.delete(session, product_id)
