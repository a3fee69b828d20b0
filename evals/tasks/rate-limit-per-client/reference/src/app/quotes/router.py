"""HTTP routes of the quotes domain; every one needs an API key."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.clients.dependencies import CurrentClient
from app.database import SessionDep
from app.quotes import service
from app.quotes.schemas import QuoteCreate, QuotePage, QuotePublic

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_quote(
    data: QuoteCreate, session: SessionDep, client: CurrentClient
) -> QuotePublic:
    """Save a quote."""
    return QuotePublic.model_validate(await service.create(session, data, client.id))


@router.get("")
async def list_quotes(
    session: SessionDep,
    client: CurrentClient,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QuotePage:
    """One page of quotes, oldest first."""
    del client  # required for access; every client sees every quote
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [QuotePublic.model_validate(row) for row in rows]
    return QuotePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{quote_id}")
async def get_quote(
    quote_id: int, session: SessionDep, client: CurrentClient
) -> QuotePublic:
    """One quote."""
    del client  # required for access
    return QuotePublic.model_validate(await service.get(session, quote_id))
