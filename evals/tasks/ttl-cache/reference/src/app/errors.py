"""Domain errors and the handler that renders them as ``{"detail": "..."}``."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class AppError(Exception):
    """An error the API reports to its client with a status code."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(AppError):
    """A resource that does not exist."""

    status_code = status.HTTP_404_NOT_FOUND


class ConflictError(AppError):
    """The request conflicts with the resource's current state."""

    status_code = status.HTTP_409_CONFLICT


def install_error_handler(app: FastAPI) -> None:
    """Answer every ``AppError`` with its status and ``{"detail"}``."""

    @app.exception_handler(AppError)
    async def handle(_: Request, error: AppError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code, content={"detail": error.detail}
        )
