"""Digest queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.digests.exceptions import DigestNotFoundError
from app.digests.hashing import derive_in_thread, matches
from app.digests.models import Digest
from app.digests.schemas import DigestCreate


async def create(session: AsyncSession, data: DigestCreate) -> Digest:
    """Derive and store the digest of a document."""
    value = await derive_in_thread(data.content, data.salt, data.iterations)
    digest = Digest(
        label=data.label, salt=data.salt, iterations=data.iterations, digest=value
    )
    session.add(digest)
    await session.commit()
    await session.refresh(digest)
    return digest


async def get(session: AsyncSession, digest_id: int) -> Digest:
    """The digest with this id.

    Raises:
        DigestNotFoundError: When there is none.
    """
    digest = await session.get(Digest, digest_id)
    if digest is None:
        raise DigestNotFoundError(digest_id)
    return digest


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Digest], int]:
    """One page of digests, oldest first, and how many there are in all."""
    total = await session.scalar(select(func.count()).select_from(Digest))
    rows = await session.scalars(
        select(Digest).order_by(Digest.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def verify(session: AsyncSession, digest_id: int, content: str) -> bool:
    """Whether ``content`` derives to the stored digest, with its salt and iterations.

    Raises:
        DigestNotFoundError: When there is no such digest.
    """
    digest = await get(session, digest_id)
    return await matches(content, digest.salt, digest.iterations, digest.digest)
