"""The authenticated user, as a dependency."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from app.config import SettingsDep
from app.database import SessionDep
from app.security import user_id_from_token
from app.users.models import User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


async def current_user(
    token: Annotated[str, Depends(oauth2_scheme)],
    session: SessionDep,
    settings: SettingsDep,
) -> User:
    """The user a valid bearer token names.

    Raises:
        HTTPException: 401 when the token is invalid or expired, or names no user.
    """
    user_id = user_id_from_token(token, settings)
    if user_id is None:
        raise _unauthorized("invalid or expired token")
    user = await session.get(User, user_id)
    if user is None:
        raise _unauthorized("the token's user no longer exists")
    return user


CurrentUser = Annotated[User, Depends(current_user)]
