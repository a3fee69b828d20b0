"""The application: settings, lifespan (engine, carrier client), routers, errors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.config import Settings, get_settings
from app.database import Base
from app.health.router import router as health_router
from app.shipments.router import router as shipments_router
from app.shipments.service import ShipmentNotFoundError


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.engine = engine
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with httpx.AsyncClient(
            base_url=str(config.carrier_api_url),
            timeout=config.readiness_timeout_seconds,
        ) as carrier:
            app.state.carrier = carrier
            yield
        await engine.dispose()

    application = FastAPI(title="Shipments", lifespan=lifespan)
    application.include_router(health_router)
    application.include_router(shipments_router)

    @application.exception_handler(ShipmentNotFoundError)
    async def not_found(_: Request, error: ShipmentNotFoundError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)}
        )

    return application
