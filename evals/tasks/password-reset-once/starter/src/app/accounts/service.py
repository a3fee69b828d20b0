"""Accounts, login and password resets.

A reset token is 256 random bits, sent by e-mail and stored only as its SHA-256.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.exceptions import (
    EmailTakenError,
    InvalidCredentialsError,
    InvalidResetTokenError,
    UnknownEmailError,
)
from app.accounts.models import OutboxMessage, ResetToken, User
from app.accounts.passwords import hash_password, verify_password

RESET_SUBJECT = "Reset your password"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_user(session: AsyncSession, email: str, password: str) -> User:
    """Open an account.

    Raises:
        EmailTakenError: When the address has an account already.
    """
    user = User(email=email, hashed_password=await hash_password(password))
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise EmailTakenError from None
    return user


async def login(session: AsyncSession, email: str, password: str) -> User:
    """The account these credentials open.

    Raises:
        InvalidCredentialsError: When the e-mail or the password is wrong.
    """
    user = await session.scalar(select(User).where(User.email == email))
    stored = user.hashed_password if user is not None else None
    if user is None or not await verify_password(password, stored):
        raise InvalidCredentialsError
    return user


async def request_reset(
    session: AsyncSession, email: str, *, ttl: timedelta, link_base: str
) -> None:
    """E-mail a reset link to the account with this address.

    Raises:
        UnknownEmailError: When no account has this address.
    """
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        raise UnknownEmailError
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    session.add(
        ResetToken(user_id=user.id, token_hash=_token_hash(token), expires_at=now + ttl)
    )
    session.add(
        OutboxMessage(
            to=email, subject=RESET_SUBJECT, link=f"{link_base}?token={token}"
        )
    )
    await session.commit()


async def confirm_reset(session: AsyncSession, token: str, new_password: str) -> None:
    """Set a new password with a reset token, which is used up.

    Raises:
        InvalidResetTokenError: When the token is unknown, used, replaced or expired.
    """
    row = await session.scalar(
        select(ResetToken).where(ResetToken.token_hash == _token_hash(token))
    )
    if row is None or row.expires_at < datetime.now(UTC):
        raise InvalidResetTokenError
    user = await session.get(User, row.user_id)
    if user is None:
        raise InvalidResetTokenError
    user.hashed_password = await hash_password(new_password)
    await session.commit()


async def outbox(
    session: AsyncSession, *, to: str | None, limit: int, offset: int
) -> tuple[list[OutboxMessage], int]:
    """One page of sent e-mails, newest first, and how many there are."""
    statement = select(OutboxMessage)
    if to is not None:
        statement = statement.where(OutboxMessage.to == to.lower())
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(OutboxMessage.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total or 0
