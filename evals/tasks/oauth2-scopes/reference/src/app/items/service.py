"""Item queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.items.exceptions import ItemNotFoundError
from app.items.models import Item
from app.items.schemas import ItemCreate


async def create(session: AsyncSession, data: ItemCreate, username: str) -> Item:
    """Save a new item, recording who created it."""
    item = Item(**data.model_dump(), created_by=username)
    session.add(item)
    await session.commit()
    await session.refresh(item)
    return item


async def get(session: AsyncSession, item_id: int) -> Item:
    """The item with this id.

    Raises:
        ItemNotFoundError: When there is none.
    """
    item = await session.get(Item, item_id)
    if item is None:
        raise ItemNotFoundError(item_id)
    return item


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Item], int]:
    """One page of items, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(Item))
    rows = await session.scalars(
        select(Item).order_by(Item.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def delete(session: AsyncSession, item_id: int) -> None:
    """Delete an item.

    Raises:
        ItemNotFoundError: When there is none.
    """
    await session.delete(await get(session, item_id))
    await session.commit()
