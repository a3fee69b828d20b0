"""Errors of the orders domain."""


class OrderNotFoundError(Exception):
    """No order has the requested id."""

    def __init__(self, order_id: int) -> None:
        """Name the missing order."""
        super().__init__(f"order {order_id} not found")
