"""Errors of the items domain."""

from app.errors import NotFoundError


class ItemNotFoundError(NotFoundError):
    """No item has the requested id."""

    def __init__(self, item_id: int) -> None:
        super().__init__(f"item {item_id} not found")
