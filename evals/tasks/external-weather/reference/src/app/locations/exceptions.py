"""Errors of saved places."""

from app.errors import NotFoundError


class LocationNotFoundError(NotFoundError):
    """No saved place has the requested id."""

    code = "location_not_found"

    def __init__(self, location_id: int) -> None:
        super().__init__(f"location {location_id} not found")
