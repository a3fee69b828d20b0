"""The application: settings, lifespan (engine, tables), routers, error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from app.config import Settings, get_settings
from app.database import Base
from app.library.exceptions import AuthorNotFoundError, BookNotFoundError
from app.library.router import router as library_router
from app.query_count import QueryCountMiddleware, count_queries


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
        count_queries(engine.sync_engine)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Library", lifespan=lifespan)
    application.add_middleware(QueryCountMiddleware)
    application.include_router(library_router)

    @application.exception_handler(AuthorNotFoundError)
    @application.exception_handler(BookNotFoundError)
    async def not_found(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)}
        )

    return application


app = create_app()
