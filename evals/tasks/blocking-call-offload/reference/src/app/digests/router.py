"""HTTP routes of the digests domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.digests import service
from app.digests.schemas import (
    DigestCreate,
    DigestPage,
    DigestPublic,
    VerifyRequest,
    VerifyResult,
)

router = APIRouter(prefix="/digests", tags=["digests"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_digest(data: DigestCreate, session: SessionDep) -> DigestPublic:
    """Digest a document (the derivation runs in a worker thread)."""
    return DigestPublic.model_validate(await service.create(session, data))


@router.get("")
async def list_digests(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DigestPage:
    """One page of digests, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [DigestPublic.model_validate(row) for row in rows]
    return DigestPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{digest_id}")
async def get_digest(digest_id: int, session: SessionDep) -> DigestPublic:
    """One digest."""
    return DigestPublic.model_validate(await service.get(session, digest_id))


@router.post("/{digest_id}/verify")
async def verify_digest(
    digest_id: int, data: VerifyRequest, session: SessionDep
) -> VerifyResult:
    """Check a document against a stored digest."""
    match = await service.verify(session, digest_id, data.content)
    return VerifyResult(id=digest_id, match=match)
