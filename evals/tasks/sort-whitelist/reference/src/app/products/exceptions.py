"""Errors of the products domain."""


class ProductNotFoundError(Exception):
    """No product has the requested id."""

    def __init__(self, product_id: int) -> None:
        """Name the missing product."""
        super().__init__(f"product {product_id} not found")
        self.product_id = product_id
