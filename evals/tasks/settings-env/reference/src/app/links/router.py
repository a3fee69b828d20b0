"""HTTP routes: the public configuration, links, and the redirect."""

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.config import Settings
from app.database import SessionDep
from app.links import service
from app.links.schemas import LinkCreate, LinkPublic, PublicConfig

router = APIRouter()
_bearer = HTTPBearer(auto_error=False)


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require_admin(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Allow only requests bearing ``ADMIN_KEY``.

    Raises:
        HTTPException: 401 when the token is missing or wrong.
    """
    expected = settings.admin_key.get_secret_value().encode()
    given = credentials.credentials.encode() if credentials else b""
    if not secrets.compare_digest(given, expected):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="a valid admin token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )


@router.get("/config")
async def read_config(settings: SettingsDep) -> PublicConfig:
    """The non-secret settings."""
    return PublicConfig(
        app_name=settings.app_name,
        public_base_url=settings.base_url,
        code_length=settings.code_length,
        allowed_domains=settings.allowed_domains,
    )


@router.post("/links", status_code=status.HTTP_201_CREATED)
async def create_link(
    data: LinkCreate, session: SessionDep, settings: SettingsDep
) -> LinkPublic:
    """Shorten a URL."""
    return service.public(await service.create(session, data, settings), settings)


@router.get("/links/{code}")
async def read_link(
    code: str, session: SessionDep, settings: SettingsDep
) -> LinkPublic:
    """One link."""
    return service.public(await service.get(session, code), settings)


@router.delete(
    "/links/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(require_admin)],
)
async def delete_link(code: str, session: SessionDep) -> None:
    """Delete a link (admin only)."""
    await service.delete(session, code)


@router.get("/{code}", status_code=status.HTTP_307_TEMPORARY_REDIRECT)
async def follow(code: str, session: SessionDep) -> RedirectResponse:
    """Redirect to the link's URL."""
    link = await service.get(session, code)
    return RedirectResponse(link.url, status_code=status.HTTP_307_TEMPORARY_REDIRECT)
