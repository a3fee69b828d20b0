"""The calling client, from the ``X-API-Key`` header."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response, Security, status
from fastapi.security import APIKeyHeader

from app.clients import service
from app.clients.models import Client
from app.database import SessionDep
from app.errors import AppError
from app.ratelimit import SlidingWindowLimiter

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


class UnknownKeyError(AppError):
    """No API key, or one that belongs to no client."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("missing or unknown API key")


async def current_client(
    key: Annotated[str | None, Security(api_key_header)], session: SessionDep
) -> Client:
    """The client whose key the request carries.

    Raises:
        UnknownKeyError: Without a known key.
    """
    client = await service.by_key(session, key) if key else None
    if client is None:
        raise UnknownKeyError
    return client


def get_limiter(request: Request) -> SlidingWindowLimiter:
    """The limiter the lifespan created (one per process, shared by every request)."""
    limiter: SlidingWindowLimiter = request.app.state.limiter
    return limiter


async def rate_limited_client(
    client: Annotated[Client, Depends(current_client)],
    limiter: Annotated[SlidingWindowLimiter, Depends(get_limiter)],
    response: Response,
) -> Client:
    """The calling client, if its key has requests left in the window.

    Raises:
        HTTPException: 429 with ``Retry-After`` when the key used its budget.
    """
    decision = limiter.hit(str(client.id))
    headers = {
        "X-RateLimit-Limit": str(limiter.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
    }
    if not decision.allowed:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="rate limit exceeded for this API key",
            headers={**headers, "Retry-After": str(decision.retry_after)},
        )
    response.headers.update(headers)
    return client


CurrentClient = Annotated[Client, Depends(rate_limited_client)]
