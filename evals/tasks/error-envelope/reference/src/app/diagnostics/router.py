"""A deliberate failure, so monitoring can check what clients see on a crash."""

from fastapi import APIRouter, status

from app.diagnostics import service
from app.diagnostics.schemas import ErrorEnvelope

router = APIRouter(prefix="/diagnostics", tags=["diagnostics"])


@router.get(
    "/error",
    responses={status.HTTP_500_INTERNAL_SERVER_ERROR: {"model": ErrorEnvelope}},
)
async def fail() -> None:
    """Raise an unexpected error; clients get the generic ``internal_error``."""
    service.raise_unexpected_error()
