"""Errors of the products domain."""

from app.errors import ConflictError, NotFoundError


class ProductNotFoundError(NotFoundError):
    """No product has the requested id."""

    code = "product_not_found"

    def __init__(self, product_id: int) -> None:
        super().__init__(f"Product {product_id} does not exist.")


class SkuTakenError(ConflictError):
    """Another product already uses this SKU."""

    code = "sku_taken"

    def __init__(self, sku: str) -> None:
        super().__init__(f"SKU {sku} is already in use.")


class InsufficientStockError(ConflictError):
    """A reservation asks for more units than are in stock."""

    code = "insufficient_stock"

    def __init__(self, requested: int, available: int) -> None:
        super().__init__(
            f"Cannot reserve {requested} unit(s): only {available} in stock.",
            {"requested": requested, "available": available},
        )
