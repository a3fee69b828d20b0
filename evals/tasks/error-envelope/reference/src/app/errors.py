"""One error shape for every failure: domain errors and the handlers that render them.

Every 4xx and 5xx response body is ``{"error": {"code", "message", "details"}}``.
"""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)

#: Structured extra data of an error: an object, a list of objects, or nothing.
type Details = dict[str, Any] | list[dict[str, Any]] | None

#: Codes of the errors the framework raises itself (unknown route, wrong method...).
HTTP_ERROR_CODES = {
    status.HTTP_400_BAD_REQUEST: "bad_request",
    status.HTTP_401_UNAUTHORIZED: "unauthorized",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_413_CONTENT_TOO_LARGE: "content_too_large",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
}


class DomainError(Exception):
    """A failure the client can act on; subclasses fix the status and the code.

    Attributes:
        status_code: The HTTP status of the response.
        code: A stable machine-readable code, in snake case.
        message: A human-readable sentence.
        details: Extra structured data, or None.
    """

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"

    def __init__(self, message: str, details: Details = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFoundError(DomainError):
    """A resource that does not exist."""

    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ConflictError(DomainError):
    """A request that contradicts the current state."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: Details = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The error envelope as a response."""
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(status_code=status_code, content=body, headers=headers)


def _field(location: tuple[int | str, ...] | list[int | str]) -> str:
    return ".".join(str(part) for part in location)


def install_error_handlers(app: FastAPI) -> None:
    """Render every error, expected or not, as the envelope."""

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        return error_response(
            error.status_code, error.code, error.message, error.details
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(
        _: Request, error: RequestValidationError
    ) -> JSONResponse:
        details = [
            {"field": _field(item["loc"]), "message": str(item["msg"])}
            for item in error.errors()
        ]
        return error_response(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "validation_error",
            "The request is invalid.",
            details,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = HTTP_ERROR_CODES.get(error.status_code, "http_error")
        message = (
            error.detail
            if isinstance(error.detail, str) and error.detail
            else HTTPStatus(error.status_code).phrase
        )
        return error_response(
            error.status_code, code, message, headers=dict(error.headers or {})
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        logger.error(
            "unhandled error on %s %s",
            request.method,
            request.url.path,
            exc_info=error,
        )
        return error_response(
            status.HTTP_500_INTERNAL_SERVER_ERROR,
            "internal_error",
            "An unexpected error occurred.",
        )
