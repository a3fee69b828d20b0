"""Errors of orders."""

from fastapi import status

from app.errors import AppError, NotFoundError


class OrderNotFoundError(NotFoundError):
    """No order has the requested id."""

    code = "order_not_found"

    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} not found")


class InsufficientStockError(AppError):
    """A product has fewer items in stock than ordered."""

    status_code = status.HTTP_409_CONFLICT
    code = "insufficient_stock"

    def __init__(self, product_id: int) -> None:
        super().__init__(f"not enough stock of product {product_id}")
