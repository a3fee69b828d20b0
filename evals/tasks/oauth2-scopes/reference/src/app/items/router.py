"""HTTP routes of the items domain, each guarded by the scope it needs."""

from typing import Annotated

from fastapi import APIRouter, Query, Security, status

from app.auth.dependencies import principal
from app.auth.scopes import Scope
from app.auth.security import Principal
from app.database import SessionDep
from app.items import service
from app.items.schemas import ItemCreate, ItemPage, ItemPublic

router = APIRouter(prefix="/items", tags=["items"])
CanRead = Security(principal, scopes=[Scope.ITEMS_READ])
CanDelete = Security(principal, scopes=[Scope.ITEMS_DELETE])


@router.get("", dependencies=[CanRead])
async def list_items(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ItemPage:
    """One page of items, oldest first (scope ``items:read``)."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [ItemPublic.model_validate(row) for row in rows]
    return ItemPage(items=items, total=total, limit=limit, offset=offset)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_item(
    data: ItemCreate,
    session: SessionDep,
    caller: Annotated[Principal, Security(principal, scopes=[Scope.ITEMS_WRITE])],
) -> ItemPublic:
    """Create an item (scope ``items:write``)."""
    item = await service.create(session, data, caller.username)
    return ItemPublic.model_validate(item)


@router.get("/{item_id}", dependencies=[CanRead])
async def get_item(item_id: int, session: SessionDep) -> ItemPublic:
    """One item (scope ``items:read``)."""
    return ItemPublic.model_validate(await service.get(session, item_id))


@router.delete(
    "/{item_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[CanDelete]
)
async def delete_item(item_id: int, session: SessionDep) -> None:
    """Delete an item (scope ``items:delete``)."""
    await service.delete(session, item_id)
