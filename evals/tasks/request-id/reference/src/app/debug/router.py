"""Diagnostic routes."""

from fastapi import APIRouter

from app.debug import service

router = APIRouter(prefix="/debug", tags=["debug"])


@router.get("/crash")
async def crash() -> None:
    """Fail on purpose: monitoring checks what a crash looks like to clients."""
    service.explode()
