"""Contact queries and writes; an import is one transaction."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.contacts.exceptions import ContactNotFoundError, EmailTakenError
from app.contacts.models import Contact
from app.contacts.schemas import ContactCreate


async def create(session: AsyncSession, data: ContactCreate) -> Contact:
    """Add one contact.

    Raises:
        EmailTakenError: When another contact has this address.
    """
    contact = Contact(**data.model_dump())
    session.add(contact)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise EmailTakenError(data.email) from None
    return contact


async def get(session: AsyncSession, contact_id: int) -> Contact:
    """The contact with this id.

    Raises:
        ContactNotFoundError: When there is none.
    """
    contact = await session.get(Contact, contact_id)
    if contact is None:
        raise ContactNotFoundError(contact_id)
    return contact


async def list_page(
    session: AsyncSession, *, query: str | None, limit: int, offset: int
) -> tuple[list[Contact], int]:
    """One page of contacts, oldest first, and how many match in all."""
    statement = select(Contact)
    if query:
        statement = statement.where(Contact.email.icontains(query, autoescape=True))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Contact.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def _first_conflict(
    session: AsyncSession, rows: Sequence[ContactCreate]
) -> EmailTakenError | None:
    """The first row whose address is taken, by the database or an earlier row."""
    emails = [row.email for row in rows]
    taken = set(
        await session.scalars(select(Contact.email).where(Contact.email.in_(emails)))
    )
    for index, email in enumerate(emails):
        if email in taken:
            return EmailTakenError(email, row=index)
        taken.add(email)
    return None


async def import_rows(
    session: AsyncSession, rows: Sequence[ContactCreate]
) -> list[Contact]:
    """Store every row in one transaction, or none of them.

    Raises:
        EmailTakenError: For the first row whose address is taken; nothing is stored.
    """
    conflict = await _first_conflict(session, rows)
    if conflict is not None:
        raise conflict
    contacts = [Contact(**row.model_dump()) for row in rows]
    session.add_all(contacts)
    try:
        await session.commit()
    except IntegrityError:
        # Another request took an address meanwhile: the whole batch is rolled back.
        await session.rollback()
        conflict = await _first_conflict(session, rows)
        raise conflict or EmailTakenError(rows[0].email, row=0) from None
    return contacts
