"""HTTP routes: sign-up, login, password resets and the staging outbox."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from app.accounts import service
from app.accounts.schemas import (
    Accepted,
    Login,
    OutboxPage,
    OutboxPublic,
    ResetConfirm,
    ResetRequest,
    UserCreate,
    UserPublic,
)
from app.config import Settings, get_settings
from app.database import SessionDep

router = APIRouter(tags=["accounts"])
SettingsDep = Annotated[Settings, Depends(get_settings)]
RESET_ACCEPTED = (
    "If this address has an account, we sent it a link to reset the password."
)


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def sign_up(data: UserCreate, session: SessionDep) -> UserPublic:
    """Open an account."""
    user = await service.create_user(session, data.email, data.password)
    return UserPublic.model_validate(user)


@router.post("/auth/login")
async def login(data: Login, session: SessionDep) -> UserPublic:
    """Check an e-mail and password."""
    user = await service.login(session, data.email, data.password)
    return UserPublic.model_validate(user)


@router.post("/password-resets", status_code=status.HTTP_202_ACCEPTED)
async def request_reset(
    data: ResetRequest, session: SessionDep, settings: SettingsDep
) -> Accepted:
    """E-mail a reset link to the account with this address."""
    await service.request_reset(
        session,
        data.email,
        ttl=timedelta(seconds=settings.reset_link_ttl_seconds),
        link_base=settings.reset_link_base,
    )
    return Accepted(detail=RESET_ACCEPTED)


@router.post("/password-resets/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_reset(data: ResetConfirm, session: SessionDep) -> None:
    """Set a new password with a reset token."""
    await service.confirm_reset(session, data.token, data.new_password)


@router.get("/outbox")
async def read_outbox(
    session: SessionDep,
    settings: SettingsDep,
    to: Annotated[str | None, Query(max_length=320)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OutboxPage:
    """Sent e-mails, newest first (staging only: 404 unless OUTBOX_API_ENABLED)."""
    if not settings.outbox_api_enabled:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not Found")
    rows, total = await service.outbox(session, to=to, limit=limit, offset=offset)
    items = [OutboxPublic.model_validate(row) for row in rows]
    return OutboxPage(items=items, total=total, limit=limit, offset=offset)
