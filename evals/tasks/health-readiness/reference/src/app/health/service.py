"""Readiness checks: one query on the database, one call to the carrier's status."""

import httpx
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.health.schemas import Checks, CheckStatus, Readiness


async def check_database(engine: AsyncEngine) -> CheckStatus:
    """Run a query on the database."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT count(*) FROM shipment"))
    except SQLAlchemyError:
        return CheckStatus.FAIL
    return CheckStatus.OK


async def check_carrier(client: httpx.AsyncClient) -> CheckStatus:
    """Ask the carrier API for its status; anything but a timely 200 is a failure."""
    try:
        response = await client.get("/v1/status")
    except httpx.HTTPError:
        return CheckStatus.FAIL
    return (
        CheckStatus.OK if response.status_code == httpx.codes.OK else CheckStatus.FAIL
    )


async def readiness(engine: AsyncEngine, client: httpx.AsyncClient) -> Readiness:
    """Check every dependency now (never cached)."""
    checks = Checks(
        database=await check_database(engine), carrier=await check_carrier(client)
    )
    ready = checks.database is CheckStatus.OK and checks.carrier is CheckStatus.OK
    return Readiness(status="ready" if ready else "not_ready", checks=checks)
