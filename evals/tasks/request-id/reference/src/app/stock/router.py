"""HTTP routes of the stock domain."""

from typing import Annotated

from fastapi import APIRouter, Path, Request

from app.stock import service
from app.stock.schemas import Stock

router = APIRouter(prefix="/items", tags=["stock"])


@router.get("/{sku}/stock")
async def get_stock(
    sku: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$")],
    request: Request,
) -> Stock:
    """The stock level of one SKU, from the inventory service."""
    return await service.lookup(request.app.state.inventory, sku)
