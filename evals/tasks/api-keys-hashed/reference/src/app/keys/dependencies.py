"""Request-scoped checks: the administrator header, the partner key and its scopes."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header

from app.config import Settings, get_settings
from app.database import SessionDep
from app.keys import service
from app.keys.exceptions import MissingScopeError, NotAuthenticatedError
from app.keys.models import ApiKey
from app.keys.schemas import Scope


def require_admin(
    settings: Annotated[Settings, Depends(get_settings)],
    x_admin_key: Annotated[str | None, Header()] = None,
) -> None:
    """Let the request through only with the right ``X-Admin-Key``.

    Raises:
        NotAuthenticatedError: When the header is missing or wrong.
    """
    expected = settings.admin_key.get_secret_value()
    if x_admin_key is None or not service.same_secret(x_admin_key, expected):
        msg = "send the administrator key in the X-Admin-Key header"
        raise NotAuthenticatedError(msg)


async def current_key(
    session: SessionDep, x_api_key: Annotated[str | None, Header()] = None
) -> ApiKey:
    """The partner's live key, its use recorded."""
    return await service.authenticate(session, x_api_key)


CurrentKey = Annotated[ApiKey, Depends(current_key)]


def require_scope(scope: Scope) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    """A dependency that lets through only keys holding ``scope``."""

    async def check(key: CurrentKey) -> ApiKey:
        if scope not in key.scopes:
            raise MissingScopeError(scope)
        return key

    return check
