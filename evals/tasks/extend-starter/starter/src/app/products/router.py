"""HTTP routes of the product catalogue."""

from fastapi import APIRouter, status

from app.database import SessionDep
from app.products import service
from app.products.schemas import ProductCreate, ProductPublic, ProductUpdate
from app.schemas import Limit, Offset, Page

router = APIRouter(prefix="/products", tags=["products"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_product(data: ProductCreate, session: SessionDep) -> ProductPublic:
    """Add a product."""
    return ProductPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_products(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> Page[ProductPublic]:
    """One page of products, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [ProductPublic.model_validate(row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{product_id}")
async def get_product(product_id: int, session: SessionDep) -> ProductPublic:
    """One product."""
    return ProductPublic.model_validate(await service.get(session, product_id))


@router.patch("/{product_id}")
async def update_product(
    product_id: int, data: ProductUpdate, session: SessionDep
) -> ProductPublic:
    """Change a product's name or price."""
    product = await service.update(session, product_id, data)
    return ProductPublic.model_validate(product)


@router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_product(product_id: int, session: SessionDep) -> None:
    """Delete a product."""
    await service.delete(session, product_id)
