"""Errors of the product catalogue."""

from fastapi import status

from app.errors import AppError, NotFoundError


class ProductNotFoundError(NotFoundError):
    """No product has the requested id."""

    code = "product_not_found"

    def __init__(self, product_id: int) -> None:
        super().__init__(f"product {product_id} not found")


class SkuTakenError(AppError):
    """Another product already has this SKU."""

    status_code = status.HTTP_409_CONFLICT
    code = "sku_taken"

    def __init__(self, sku: str) -> None:
        super().__init__(f"a product with SKU {sku} already exists")
