"""The application: settings, lifespan (engine, tables), routers, error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from app.config import Settings, get_settings
from app.database import Base
from app.errors import install_error_handlers
from app.notes.router import router as notes_router
from app.users.router import router as users_router


def _enable_foreign_keys(connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _enable_foreign_keys)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Notes", lifespan=lifespan)
    application.state.settings = config
    application.include_router(users_router)
    application.include_router(notes_router)
    install_error_handlers(application)
    return application


app = create_app()
