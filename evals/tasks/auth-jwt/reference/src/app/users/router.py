"""HTTP routes of accounts and tokens."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from app.config import SettingsDep
from app.database import SessionDep
from app.security import create_access_token
from app.users import service
from app.users.dependencies import CurrentUser
from app.users.schemas import Token, UserCreate, UserPublic

router = APIRouter(tags=["accounts"])


@router.post("/auth/register", status_code=status.HTTP_201_CREATED)
async def register(data: UserCreate, session: SessionDep) -> UserPublic:
    """Open an account."""
    return UserPublic.model_validate(await service.register(session, data))


@router.post("/auth/token")
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Exchange an email (``username``) and password for a bearer token.

    Raises:
        HTTPException: 401 when the credentials are wrong.
    """
    user = await service.authenticate(session, form.username, form.password)
    if user is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    access = create_access_token(user.id, settings)
    return Token(access_token=access.token, expires_in=access.expires_in)


@router.get("/users/me")
async def me(user: CurrentUser) -> UserPublic:
    """The account the token belongs to."""
    return UserPublic.model_validate(user)
