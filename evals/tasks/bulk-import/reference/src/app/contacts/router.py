"""HTTP routes of the contacts domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.contacts import service
from app.contacts.schemas import (
    ContactCreate,
    ContactImport,
    ContactPage,
    ContactPublic,
    ImportResult,
)
from app.database import SessionDep

router = APIRouter(prefix="/contacts", tags=["contacts"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_contact(data: ContactCreate, session: SessionDep) -> ContactPublic:
    """Add one contact."""
    return ContactPublic.model_validate(await service.create(session, data))


@router.post("/import", status_code=status.HTTP_201_CREATED)
async def import_contacts(data: ContactImport, session: SessionDep) -> ImportResult:
    """Store a batch of contacts, all of them or none."""
    contacts = await service.import_rows(session, data.contacts)
    return ImportResult(
        imported=len(contacts), ids=[contact.id for contact in contacts]
    )


@router.get("")
async def list_contacts(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=320)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ContactPage:
    """One page of contacts, oldest first, optionally searched by e-mail."""
    rows, total = await service.list_page(session, query=q, limit=limit, offset=offset)
    items = [ContactPublic.model_validate(row) for row in rows]
    return ContactPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{contact_id}")
async def get_contact(contact_id: int, session: SessionDep) -> ContactPublic:
    """One contact."""
    return ContactPublic.model_validate(await service.get(session, contact_id))
