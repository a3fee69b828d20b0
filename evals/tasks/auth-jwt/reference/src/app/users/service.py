"""Account queries and writes."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.security import hash_password, verify_password
from app.users.exceptions import EmailTakenError
from app.users.models import User
from app.users.schemas import UserCreate


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively: store and look them up in lower case."""
    return email.strip().lower()


async def register(session: AsyncSession, data: UserCreate) -> User:
    """Open an account with a hashed password.

    Raises:
        EmailTakenError: When the email is already registered.
    """
    user = User(
        email=normalize_email(data.email),
        hashed_password=await hash_password(data.password),
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise EmailTakenError from error
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    """The account these credentials open, or None."""
    user = await session.scalar(
        select(User).where(User.email == normalize_email(email))
    )
    hashed = user.hashed_password if user is not None else None
    if not await verify_password(password, hashed):
        return None
    return user
