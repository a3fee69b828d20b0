"""Issuing, listing, revoking and checking keys; only hashes are stored.

Keys carry 256 random bits, so a fast hash (SHA-256) is enough to make a stolen table
useless; slow password hashes are for low-entropy secrets chosen by people.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.keys.exceptions import KeyNotFoundError, NotAuthenticatedError
from app.keys.models import ApiKey, Message
from app.keys.schemas import KeyCreate

KEY_PREFIX = "ak_"
SHOWN_PREFIX_LENGTH = 12


def hash_key(key: str) -> str:
    """The SHA-256 hex digest stored in place of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(given.encode(), expected.encode())


async def issue(session: AsyncSession, data: KeyCreate) -> tuple[ApiKey, str]:
    """Create a key; return its row and the key, which is not kept anywhere."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=data.name,
        scopes=[str(scope) for scope in data.scopes],
        prefix=key[:SHOWN_PREFIX_LENGTH],
        key_hash=hash_key(key),
    )
    session.add(row)
    await session.commit()
    return row, key


async def get(session: AsyncSession, key_id: int) -> ApiKey:
    """The key with this id.

    Raises:
        KeyNotFoundError: When there is none.
    """
    row = await session.get(ApiKey, key_id)
    if row is None:
        raise KeyNotFoundError(key_id)
    return row


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[ApiKey], int]:
    """One page of keys, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(ApiKey))
    rows = await session.scalars(
        select(ApiKey).order_by(ApiKey.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def revoke(session: AsyncSession, key_id: int) -> None:
    """Revoke a key; revoking a revoked key changes nothing.

    Raises:
        KeyNotFoundError: When there is no such key.
    """
    row = await get(session, key_id)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        await session.commit()


async def authenticate(session: AsyncSession, key: str | None) -> ApiKey:
    """The live key matching ``key``, its use recorded.

    Raises:
        NotAuthenticatedError: When the key is missing, unknown or revoked.
    """
    if not key:
        msg = "send your API key in the X-API-Key header"
        raise NotAuthenticatedError(msg)
    row = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if row is None or row.revoked_at is not None:
        msg = "invalid or revoked API key"
        raise NotAuthenticatedError(msg)
    row.last_used_at = datetime.now(UTC)
    await session.commit()
    return row


async def post_message(session: AsyncSession, key: ApiKey, text: str) -> Message:
    """Store a message posted with ``key``."""
    message = Message(text=text, key_id=key.id)
    session.add(message)
    await session.commit()
    return message
