"""Errors of the weather lookups."""

from fastapi import status

from app.errors import AppError, NotFoundError


class CityNotFoundError(NotFoundError):
    """The provider does not know the city."""

    code = "city_not_found"

    def __init__(self, city: str) -> None:
        super().__init__(f"no weather known for city {city!r}")


class UpstreamError(AppError):
    """The provider failed: a 5xx (twice), a refused key, an unreadable answer."""

    status_code = status.HTTP_502_BAD_GATEWAY
    code = "upstream_error"


class UpstreamTimeoutError(AppError):
    """The provider did not answer in time."""

    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    code = "upstream_timeout"
