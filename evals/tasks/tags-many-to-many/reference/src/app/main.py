"""The application: settings, lifespan (engine, tables), middleware, routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from app.bookmarks.exceptions import BookmarkNotFoundError
from app.bookmarks.router import router as bookmarks_router
from app.config import Settings, get_settings
from app.database import Base
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
        event.listen(engine.sync_engine, "connect", _enable_foreign_keys)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        count_queries(engine.sync_engine)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Bookmarks", lifespan=lifespan)
    application.add_middleware(QueryCountMiddleware)
    application.include_router(bookmarks_router)

    @application.exception_handler(BookmarkNotFoundError)
    async def not_found(_: Request, error: BookmarkNotFoundError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)}
        )

    return application


app = create_app()
