"""The caller's token as a dependency, checked against each route's scopes."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, SecurityScopes

from app.auth.scopes import DESCRIPTIONS
from app.auth.security import Principal, read_access_token
from app.config import SettingsDep

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="token",
    scopes={str(scope): text for scope, text in DESCRIPTIONS.items()},
    auto_error=False,
)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def principal(
    security_scopes: SecurityScopes,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    settings: SettingsDep,
) -> Principal:
    """The token's principal, if it carries every scope the route requires.

    Raises:
        HTTPException: 401 without a valid token; 403 when a scope is missing (RFC 6750
            ``insufficient_scope``, naming the scopes the route requires).
    """
    if token is None:
        raise _unauthorized("not authenticated")
    found = read_access_token(token, settings)
    if found is None:
        raise _unauthorized("invalid or expired token")
    if not set(security_scopes.scopes) <= found.scopes:
        challenge = (
            f'Bearer error="insufficient_scope", scope="{security_scopes.scope_str}"'
        )
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN,
            detail=f"this requires the scopes: {security_scopes.scope_str}",
            headers={"WWW-Authenticate": challenge},
        )
    return found
