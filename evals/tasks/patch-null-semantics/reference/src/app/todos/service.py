"""To-do queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import utc_now
from app.todos.exceptions import TodoNotFoundError
from app.todos.models import Todo
from app.todos.schemas import TodoCreate, TodoPatch


async def create(session: AsyncSession, data: TodoCreate) -> Todo:
    """Add a to-do."""
    todo = Todo(**data.model_dump())
    session.add(todo)
    await session.commit()
    return todo


async def get(session: AsyncSession, todo_id: int) -> Todo:
    """The to-do with this id.

    Raises:
        TodoNotFoundError: When there is none.
    """
    todo = await session.get(Todo, todo_id)
    if todo is None:
        raise TodoNotFoundError(todo_id)
    return todo


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Todo], int]:
    """One page of to-dos, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(Todo))
    rows = await session.scalars(
        select(Todo).order_by(Todo.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def patch(session: AsyncSession, todo_id: int, data: TodoPatch) -> Todo:
    """Apply the fields that were sent, ``null`` included, and nothing else.

    Raises:
        TodoNotFoundError: When there is no such to-do.
    """
    todo = await get(session, todo_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(todo, field, value)
    todo.updated_at = utc_now()
    await session.commit()
    return todo


async def replace(session: AsyncSession, todo_id: int, data: TodoCreate) -> Todo:
    """Replace every field; the ones left out take their defaults.

    Raises:
        TodoNotFoundError: When there is no such to-do.
    """
    todo = await get(session, todo_id)
    for field, value in data.model_dump().items():
        setattr(todo, field, value)
    todo.updated_at = utc_now()
    await session.commit()
    return todo


async def delete(session: AsyncSession, todo_id: int) -> None:
    """Delete a to-do.

    Raises:
        TodoNotFoundError: When there is none.
    """
    await session.delete(await get(session, todo_id))
    await session.commit()
