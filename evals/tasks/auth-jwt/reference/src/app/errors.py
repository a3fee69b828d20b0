"""Domain errors and how they become HTTP responses."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class DomainError(Exception):
    """A failure the client can act on; subclasses fix the status."""

    status_code = status.HTTP_400_BAD_REQUEST


class NotFoundError(DomainError):
    """The resource does not exist."""

    status_code = status.HTTP_404_NOT_FOUND


class ForbiddenError(DomainError):
    """The resource exists but belongs to someone else."""

    status_code = status.HTTP_403_FORBIDDEN


class ConflictError(DomainError):
    """The request contradicts existing data."""

    status_code = status.HTTP_409_CONFLICT


def install_error_handlers(app: FastAPI) -> None:
    """Render domain errors as ``{"detail": message}`` with their status."""

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code, content={"detail": str(error)}
        )
