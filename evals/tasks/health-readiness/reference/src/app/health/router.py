"""Liveness and readiness endpoints."""

from fastapi import APIRouter, Request, Response, status

from app.health import service
from app.health.schemas import Liveness, Readiness

router = APIRouter(prefix="/health", tags=["health"])

NO_STORE = {"Cache-Control": "no-store"}


@router.get("/live")
async def live(response: Response) -> Liveness:
    """The process answers; touches no dependency."""
    response.headers.update(NO_STORE)
    return Liveness()


@router.get("/ready")
async def ready(request: Request, response: Response) -> Readiness:
    """Whether the database and the carrier API answer; 503 when one does not."""
    state = request.app.state
    result = await service.readiness(state.engine, state.carrier)
    response.headers.update(NO_STORE)
    if result.status != "ready":
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return result
