"""Clients: registration and lookup by API key."""

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.models import Client


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def register(session: AsyncSession, name: str) -> tuple[Client, str]:
    """Save a new client; return it with its API key (which is not stored)."""
    key = secrets.token_urlsafe(32)
    client = Client(name=name, key_hash=_digest(key))
    session.add(client)
    await session.commit()
    return client, key


async def by_key(session: AsyncSession, key: str) -> Client | None:
    """The client this API key belongs to, if any."""
    return await session.scalar(select(Client).where(Client.key_hash == _digest(key)))
