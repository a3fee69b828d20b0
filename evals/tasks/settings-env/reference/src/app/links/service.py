"""Link writes and lookups."""

import secrets
import string

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.links.exceptions import DomainNotAllowedError, LinkNotFoundError
from app.links.models import Link
from app.links.schemas import LinkCreate, LinkPublic

ALPHABET = string.ascii_letters + string.digits
_ATTEMPTS = 5


def new_code(length: int) -> str:
    """A random code of ``length`` letters and digits."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def check_domain(host: str, allowed: list[str]) -> None:
    """Refuse hosts outside ``allowed`` (an empty list allows every host).

    Raises:
        DomainNotAllowedError: When the host is not listed.
    """
    if allowed and host.lower() not in allowed:
        raise DomainNotAllowedError(host)


def public(link: Link, settings: Settings) -> LinkPublic:
    """The API's view of a link."""
    return LinkPublic(
        code=link.code, url=link.url, short_url=f"{settings.base_url}/{link.code}"
    )


async def create(session: AsyncSession, data: LinkCreate, settings: Settings) -> Link:
    """Store a new link under a fresh code.

    Raises:
        DomainNotAllowedError: When the URL's host is not allowed.
    """
    check_domain(data.url.host or "", settings.allowed_domains)
    for _ in range(_ATTEMPTS):
        link = Link(code=new_code(settings.code_length), url=str(data.url))
        session.add(link)
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            continue
        return link
    msg = "could not find a free code"
    raise RuntimeError(msg)


async def get(session: AsyncSession, code: str) -> Link:
    """The link with this code.

    Raises:
        LinkNotFoundError: When there is none.
    """
    link = await session.scalar(select(Link).where(Link.code == code))
    if link is None:
        raise LinkNotFoundError(code)
    return link


async def delete(session: AsyncSession, code: str) -> None:
    """Delete a link.

    Raises:
        LinkNotFoundError: When there is none.
    """
    await session.delete(await get(session, code))
    await session.commit()
