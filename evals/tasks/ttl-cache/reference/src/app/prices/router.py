"""HTTP routes of the prices domain."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from app.prices.schemas import Currency, Price, Sku
from app.prices.service import PriceService

router = APIRouter(prefix="/prices", tags=["prices"])


def get_price_service(request: Request) -> PriceService:
    """The service the lifespan created."""
    service: PriceService = request.app.state.prices
    return service


PriceServiceDep = Annotated[PriceService, Depends(get_price_service)]


@router.get("/{sku}")
async def read_price(
    sku: Sku, service: PriceServiceDep, response: Response, currency: Currency = "USD"
) -> Price:
    """The price of a SKU, from the cache when fresh (``X-Cache: HIT``)."""
    price, hit = await service.price(sku, currency)
    response.headers["X-Cache"] = "HIT" if hit else "MISS"
    return price


@router.delete("/{sku}", status_code=status.HTTP_204_NO_CONTENT)
async def forget_price(sku: Sku, service: PriceServiceDep) -> None:
    """Forget the cached prices of a SKU, in every currency."""
    service.forget(sku)
