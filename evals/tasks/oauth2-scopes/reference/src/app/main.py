"""The application: settings, lifespan (engine, tables, administrator), routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.auth import service as auth_service
from app.auth.router import router as auth_router
from app.config import Settings, get_settings
from app.database import Base
from app.errors import install_error_handler
from app.items.router import router as items_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions() as session:
            await auth_service.ensure_admin(
                session,
                config.admin_username,
                config.admin_passphrase.get_secret_value(),
            )
        app.state.sessions = sessions
        yield
        await engine.dispose()

    application = FastAPI(title="Stockroom", lifespan=lifespan)
    application.state.settings = config
    application.include_router(auth_router)
    application.include_router(items_router)
    install_error_handler(application)
    return application


app = create_app()
