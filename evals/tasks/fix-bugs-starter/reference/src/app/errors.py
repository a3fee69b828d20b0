"""Domain errors and the handler that turns them into ``{"detail", "code"}`` bodies."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class AppError(Exception):
    """An error the API reports to its client with a status and a stable code."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(AppError):
    """A resource that does not exist."""

    status_code = status.HTTP_404_NOT_FOUND


def install_error_handler(app: FastAPI) -> None:
    """Answer every ``AppError`` with its status and ``{"detail", "code"}``."""

    @app.exception_handler(AppError)
    async def handle(_: Request, error: AppError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code,
            content={"detail": error.detail, "code": error.code},
        )
