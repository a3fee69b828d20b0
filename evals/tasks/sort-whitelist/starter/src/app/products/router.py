"""HTTP routes of the products domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.products import service
from app.products.schemas import ProductCreate, ProductPage, ProductPublic

router = APIRouter(prefix="/products", tags=["products"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_product(data: ProductCreate, session: SessionDep) -> ProductPublic:
    """Add a product."""
    return ProductPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_products(
    session: SessionDep,
    category: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ProductPage:
    """One page of products, oldest first."""
    rows, total = await service.list_page(
        session, category=category, limit=limit, offset=offset
    )
    items = [ProductPublic.model_validate(row) for row in rows]
    return ProductPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{product_id}")
async def get_product(product_id: int, session: SessionDep) -> ProductPublic:
    """One product."""
    return ProductPublic.model_validate(await service.get(session, product_id))
