"""HTTP routes of the to-dos domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.todos import service
from app.todos.schemas import TodoCreate, TodoPage, TodoPatch, TodoPublic

router = APIRouter(prefix="/todos", tags=["todos"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_todo(data: TodoCreate, session: SessionDep) -> TodoPublic:
    """Add a to-do."""
    return TodoPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_todos(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TodoPage:
    """One page of to-dos, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [TodoPublic.model_validate(row) for row in rows]
    return TodoPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{todo_id}")
async def get_todo(todo_id: int, session: SessionDep) -> TodoPublic:
    """One to-do."""
    return TodoPublic.model_validate(await service.get(session, todo_id))


@router.patch("/{todo_id}")
async def patch_todo(todo_id: int, data: TodoPatch, session: SessionDep) -> TodoPublic:
    """Change the fields that were sent."""
    return TodoPublic.model_validate(await service.patch(session, todo_id, data))


@router.put("/{todo_id}")
async def replace_todo(
    todo_id: int, data: TodoCreate, session: SessionDep
) -> TodoPublic:
    """Replace a to-do."""
    return TodoPublic.model_validate(await service.replace(session, todo_id, data))


@router.delete("/{todo_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_todo(todo_id: int, session: SessionDep) -> None:
    """Delete a to-do."""
    await service.delete(session, todo_id)
