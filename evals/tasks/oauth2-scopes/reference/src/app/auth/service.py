"""Accounts: creation, the startup administrator, and password-flow login."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.exceptions import ScopeNotGrantedError, UsernameTakenError
from app.auth.models import User
from app.auth.scopes import Scope, joined
from app.auth.security import hash_password, verify_password


async def create_user(
    session: AsyncSession, username: str, password: str, scopes: set[str]
) -> User:
    """Save a new account with these scopes.

    Raises:
        UsernameTakenError: When the username exists.
    """
    user = User(
        username=username,
        hashed_password=await hash_password(password),
        scopes=joined(scopes),
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise UsernameTakenError(username) from None
    return user


async def ensure_admin(session: AsyncSession, username: str, password: str) -> None:
    """Create the administrator, with every scope, unless it exists."""
    if await session.scalar(select(User).where(User.username == username)) is None:
        await create_user(session, username, password, {str(s) for s in Scope})


async def login(
    session: AsyncSession, username: str, password: str, requested: list[str]
) -> tuple[User, set[str]] | None:
    """The user and the scopes to grant, or ``None`` for a wrong username or password.

    No requested scope means every scope of the user.

    Raises:
        ScopeNotGrantedError: When a requested scope is not one of the user's.
    """
    user = await session.scalar(select(User).where(User.username == username))
    if not await verify_password(password, user.hashed_password if user else None):
        return None
    assert user is not None  # noqa: S101 - verify_password is False without a user
    allowed = set(user.scopes.split())
    wanted = set(requested) or allowed
    if not wanted <= allowed:
        raise ScopeNotGrantedError(wanted - allowed)
    return user, wanted
