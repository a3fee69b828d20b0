"""The application: lifespan (database engine), routers, error handler.

The schema is created by Alembic (``alembic upgrade head``), never by the app.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.catalog.router import router as catalog_router
from app.config import Settings, get_settings
from app.errors import install_error_handler


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Catalogue", lifespan=lifespan)
    application.include_router(catalog_router)
    install_error_handler(application)
    return application


app = create_app()
