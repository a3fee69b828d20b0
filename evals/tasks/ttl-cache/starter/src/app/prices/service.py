"""Prices through the cache."""

from dataclasses import dataclass

from app.errors import AppError
from app.prices.cache import TTLCache
from app.prices.client import PricingClient
from app.prices.schemas import Price


@dataclass(frozen=True)
class Lookup:
    """What the pricing service answered: a price or an error."""

    price: Price | None = None
    error: AppError | None = None


class PriceService:
    """Serves prices from the cache, asking the pricing service on a miss."""

    def __init__(self, client: PricingClient, cache: TTLCache[str, Lookup]) -> None:
        self.client = client
        self.cache = cache

    async def price(self, sku: str, currency: str) -> tuple[Price, bool]:
        """The price of ``sku`` in ``currency`` and whether it came from the cache.

        Raises:
            PriceNotFoundError: Unknown SKU.
            PricingUnavailableError: The pricing service failed.
        """
        sku, currency = sku.upper(), currency.upper()
        lookup = self.cache.get(sku)
        hit = lookup is not None
        if lookup is None:
            try:
                lookup = Lookup(price=await self.client.fetch(sku, currency))
            except AppError as error:
                lookup = Lookup(error=error)
            self.cache.set(sku, lookup)
        if lookup.error is not None:
            raise lookup.error
        assert lookup.price is not None  # noqa: S101 - a lookup holds one or the other
        return lookup.price, hit

    def forget(self, sku: str) -> None:
        """Drop every cached currency of ``sku``."""
        sku = sku.upper()
        self.cache.delete_where(lambda key: key == sku)
