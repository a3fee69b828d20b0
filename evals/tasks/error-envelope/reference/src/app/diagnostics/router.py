"""A deliberate failure, so monitoring can check what clients see on a crash."""

from fastapi import APIRouter

router = APIRouter(prefix="/diagnostics", tags=["diagnostics"])


@router.get("/error")
async def fail() -> None:
    """Raise an unexpected error whose message must never reach the client.

    Raises:
        RuntimeError: Always.
    """
    msg = "database password is hunter2"
    raise RuntimeError(msg)
