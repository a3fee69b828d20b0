"""Token endpoint, the caller's identity, and account creation."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Security, status
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.dependencies import principal
from app.auth.schemas import Me, Token, UserCreate, UserPublic
from app.auth.scopes import Scope, joined
from app.auth.security import Principal, create_access_token
from app.config import SettingsDep
from app.database import SessionDep

router = APIRouter(tags=["auth"])


@router.post("/token")
async def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """OAuth2 password flow: a token with the requested (or all) of the user's scopes."""
    found = await service.login(session, form.username, form.password, form.scopes)
    if found is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user, scopes = found
    token = create_access_token(user.username, scopes, settings)
    return Token(access_token=token, scope=joined(scopes))


@router.get("/me")
async def read_me(caller: Annotated[Principal, Security(principal)]) -> Me:
    """Who the token belongs to and its scopes."""
    return Me(username=caller.username, scopes=sorted(caller.scopes))


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Security(principal, scopes=[Scope.USERS_WRITE])],
)
async def create_user(data: UserCreate, session: SessionDep) -> UserPublic:
    """Create an account (administrators only)."""
    scopes = {str(scope) for scope in data.scopes}
    user = await service.create_user(session, data.username, data.password, scopes)
    return UserPublic(id=user.id, username=user.username, scopes=sorted(scopes))
