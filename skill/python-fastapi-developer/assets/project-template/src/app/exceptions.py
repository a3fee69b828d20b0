"""Base error of the app; each domain subclasses it, one handler renders them all."""

from fastapi import status


class AppError(Exception):
    """An error the client caused or may act on, rendered as ``{"detail", "code"}``."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "bad_request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(AppError):
    """The requested resource does not exist."""

    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ConflictError(AppError):
    """The request conflicts with the current state (duplicate, stale version)."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
