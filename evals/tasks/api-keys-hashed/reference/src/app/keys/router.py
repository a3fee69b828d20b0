"""HTTP routes: key administration and the partner endpoints."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.database import SessionDep
from app.keys import service
from app.keys.dependencies import CurrentKey, require_admin, require_scope
from app.keys.models import ApiKey
from app.keys.schemas import (
    Caller,
    KeyCreate,
    KeyCreated,
    KeyPage,
    KeyPublic,
    MessageCreate,
    MessagePublic,
    Scope,
)

admin_router = APIRouter(
    prefix="/keys", tags=["keys"], dependencies=[Depends(require_admin)]
)
partner_router = APIRouter(tags=["partners"])


@admin_router.post("", status_code=status.HTTP_201_CREATED)
async def create_key(data: KeyCreate, session: SessionDep) -> KeyCreated:
    """Issue a key; the response is the only place it ever appears."""
    row, key = await service.issue(session, data)
    public = KeyPublic.model_validate(row)
    return KeyCreated(**public.model_dump(), key=key)


@admin_router.get("")
async def list_keys(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> KeyPage:
    """One page of keys' metadata, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [KeyPublic.model_validate(row) for row in rows]
    return KeyPage(items=items, total=total, limit=limit, offset=offset)


@admin_router.get("/{key_id}")
async def get_key(key_id: int, session: SessionDep) -> KeyPublic:
    """One key's metadata."""
    return KeyPublic.model_validate(await service.get(session, key_id))


@admin_router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_key(key_id: int, session: SessionDep) -> None:
    """Revoke a key."""
    await service.revoke(session, key_id)


@partner_router.get("/whoami")
async def whoami(key: CurrentKey) -> Caller:
    """The key the request was made with."""
    return Caller.model_validate(key)


@partner_router.post("/messages", status_code=status.HTTP_201_CREATED)
async def post_message(
    data: MessageCreate,
    session: SessionDep,
    key: Annotated[ApiKey, Depends(require_scope(Scope.WRITE))],
) -> MessagePublic:
    """Post a message; needs the ``write`` scope."""
    message = await service.post_message(session, key, data.text)
    return MessagePublic.model_validate(message)
