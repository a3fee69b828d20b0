"""Errors of the prices domain."""

from fastapi import status

from app.errors import AppError, NotFoundError


class PriceNotFoundError(NotFoundError):
    """The pricing service does not know this SKU."""

    def __init__(self, sku: str) -> None:
        super().__init__(f"no price for SKU {sku}")


class PricingUnavailableError(AppError):
    """The pricing service failed (an error status, a bad body, no connection)."""

    status_code = status.HTTP_502_BAD_GATEWAY

    def __init__(self, reason: str) -> None:
        super().__init__(f"the pricing service failed: {reason}")
