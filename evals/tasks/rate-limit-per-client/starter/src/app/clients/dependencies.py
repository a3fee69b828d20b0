"""The calling client, from the ``X-API-Key`` header."""

from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader

from app.clients import service
from app.clients.models import Client
from app.database import SessionDep
from app.errors import AppError

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


CurrentClient = Annotated[Client, Depends(current_client)]
