"""Errors of the products domain."""


class ProductNotFoundError(Exception):
    """No product has the requested id."""

    def __init__(self, product_id: int) -> None:
        """Name the missing product."""
        super().__init__(f"product {product_id} not found")


class InvalidCursorError(Exception):
    """A cursor that this service did not issue."""

    def __init__(self) -> None:
        """Say what to do."""
        super().__init__("invalid cursor: start again without one")
