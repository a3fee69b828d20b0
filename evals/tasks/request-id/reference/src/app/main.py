"""The application: settings, lifespan (engine, inventory client), middleware, routes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app import errors, request_id
from app.config import Settings, get_settings
from app.database import Base
from app.debug.router import router as debug_router
from app.orders.router import router as orders_router
from app.stock.router import router as stock_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with httpx.AsyncClient(
            base_url=str(config.inventory_api_url),
            timeout=config.inventory_timeout_seconds,
        ) as inventory:
            app.state.inventory = inventory
            yield
        await engine.dispose()

    application = FastAPI(title="Orders", lifespan=lifespan)
    application.middleware("http")(request_id.middleware)
    errors.install(application)
    application.include_router(orders_router)
    application.include_router(stock_router)
    application.include_router(debug_router)
    return application
