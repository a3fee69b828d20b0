"""Client of the internal pricing service."""

import httpx
from pydantic import ValidationError

from app.prices.exceptions import PriceNotFoundError, PricingUnavailableError
from app.prices.schemas import Price


class PricingClient:
    """Reads prices over an ``httpx.AsyncClient`` bound to the pricing service."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def fetch(self, sku: str, currency: str) -> Price:
        """The current price of ``sku`` in ``currency``.

        Raises:
            PriceNotFoundError: The service does not know the SKU (its 404).
            PricingUnavailableError: Any other failure.
        """
        try:
            response = await self.http.get(
                f"/v1/prices/{sku}", params={"currency": currency}
            )
        except httpx.HTTPError as error:
            raise PricingUnavailableError(type(error).__name__) from None
        if response.status_code == httpx.codes.NOT_FOUND:
            raise PriceNotFoundError(sku)
        if response.status_code != httpx.codes.OK:
            raise PricingUnavailableError(f"status {response.status_code}")
        try:
            return Price.model_validate_json(response.content)
        except ValidationError:
            raise PricingUnavailableError("unexpected body") from None
