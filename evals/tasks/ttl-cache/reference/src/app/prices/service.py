"""Prices through the cache."""

from app.prices.cache import TTLCache
from app.prices.client import PricingClient
from app.prices.schemas import Price


class PriceService:
    """Serves prices from the cache, asking the pricing service on a miss."""

    def __init__(
        self, client: PricingClient, cache: TTLCache[tuple[str, str], Price]
    ) -> None:
        self.client = client
        self.cache = cache

    async def price(self, sku: str, currency: str) -> tuple[Price, bool]:
        """The price of ``sku`` in ``currency`` and whether it came from the cache.

        Raises:
            PriceNotFoundError: Unknown SKU.
            PricingUnavailableError: The pricing service failed.
        """
        sku, currency = sku.upper(), currency.upper()
        return await self.cache.get_or_load(
            (sku, currency), lambda: self.client.fetch(sku, currency)
        )

    def forget(self, sku: str) -> None:
        """Drop every cached currency of ``sku``."""
        sku = sku.upper()
        self.cache.delete_where(lambda key: key[0] == sku)
