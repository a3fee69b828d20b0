"""Accounts, login and password resets.

A reset token is 256 random bits, sent by e-mail and stored only as its SHA-256. It works
once, until its deadline, and only while it is the user's newest token: using it is one
conditional UPDATE, so two requests racing with the same token cannot both win.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.exceptions import (
    EmailTakenError,
    InvalidCredentialsError,
    InvalidResetTokenError,
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
    """E-mail a reset link if the address has an account; say nothing either way."""
    user = await session.scalar(select(User).where(User.email == email))
    if user is None:
        return
    now = datetime.now(UTC)
    await session.execute(
        update(ResetToken)
        .where(ResetToken.user_id == user.id, ResetToken.used_at.is_(None))
        .values(used_at=now)
    )
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
    hashed = await hash_password(new_password)
    now = datetime.now(UTC)
    user_id = await session.scalar(
        update(ResetToken)
        .where(
            ResetToken.token_hash == _token_hash(token),
            ResetToken.used_at.is_(None),
            ResetToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(ResetToken.user_id)
    )
    if user_id is None:
        await session.rollback()
        raise InvalidResetTokenError
    await session.execute(
        update(User).where(User.id == user_id).values(hashed_password=hashed)
    )
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
