"""The application: lifespan (database, weather client), routers, error handler."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.config import Settings, get_settings
from app.database import Base
from app.errors import install_error_handler
from app.locations.router import router as locations_router
from app.weather.client import WeatherClient
from app.weather.router import router as weather_router


def create_app(
    settings: Settings | None = None,
    *,
    weather_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build the application.

    Args:
        settings: The settings (the environment's by default).
        weather_transport: Transport to the weather provider (tests pass a fake).
    """
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with httpx.AsyncClient(
            base_url=config.weather_api_url,
            headers={"X-Account-Id": config.weather_account_id},
            timeout=config.weather_timeout_seconds,
            transport=weather_transport,
        ) as http:
            app.state.weather = WeatherClient(
                http, cache_seconds=config.weather_cache_seconds
            )
            yield
        await engine.dispose()

    application = FastAPI(title="Weather places", lifespan=lifespan)
    application.include_router(weather_router)
    application.include_router(locations_router)
    install_error_handler(application)
    return application


app = create_app()
