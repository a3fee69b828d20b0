"""Quote queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFoundError
from app.quotes.models import Quote
from app.quotes.schemas import QuoteCreate


async def create(session: AsyncSession, data: QuoteCreate, client_id: int) -> Quote:
    """Save a new quote."""
    quote = Quote(**data.model_dump(), client_id=client_id)
    session.add(quote)
    await session.commit()
    await session.refresh(quote)
    return quote


async def get(session: AsyncSession, quote_id: int) -> Quote:
    """The quote with this id.

    Raises:
        NotFoundError: When there is none.
    """
    quote = await session.get(Quote, quote_id)
    if quote is None:
        raise NotFoundError(f"quote {quote_id} not found")
    return quote


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Quote], int]:
    """One page of quotes, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(Quote))
    rows = await session.scalars(
        select(Quote).order_by(Quote.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0
