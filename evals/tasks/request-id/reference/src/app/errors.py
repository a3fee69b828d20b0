"""Error bodies that carry the request id: 404s, validation errors and crashes."""

import logging

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app import request_id

logger = logging.getLogger(__name__)


def _request_id(request: Request) -> str:
    found = getattr(request.state, "request_id", None) or request_id.current()
    return found or request_id.accept_or_generate(
        request.headers.get(request_id.HEADER)
    )


def _with_id(request: Request, body: dict[str, object], code: int) -> JSONResponse:
    rid = _request_id(request)
    return JSONResponse(
        {**body, "request_id": rid}, status_code=code, headers={request_id.HEADER: rid}
    )


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _with_id(request, {"detail": error.detail}, error.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        detail = jsonable_encoder(error.errors())
        return _with_id(
            request, {"detail": detail}, status.HTTP_422_UNPROCESSABLE_CONTENT
        )

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> JSONResponse:
        logger.error(
            "unhandled error",
            extra={"request_id": _request_id(request)},
            exc_info=error,
        )
        return _with_id(
            request,
            {"detail": "Internal Server Error"},
            status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
