"""The application: settings, lifespan (engine, tables), routers, error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.articles.etags import etag
from app.articles.exceptions import (
    ArticleNotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
)
from app.articles.router import router as articles_router
from app.config import Settings, get_settings
from app.database import Base


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Wiki articles", lifespan=lifespan)
    application.include_router(articles_router)

    @application.exception_handler(ArticleNotFoundError)
    async def not_found(_: Request, error: ArticleNotFoundError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)}
        )

    @application.exception_handler(PreconditionRequiredError)
    async def required(_: Request, error: PreconditionRequiredError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_428_PRECONDITION_REQUIRED,
            content={"detail": str(error)},
        )

    @application.exception_handler(PreconditionFailedError)
    async def failed(_: Request, error: PreconditionFailedError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_412_PRECONDITION_FAILED,
            content={"detail": str(error)},
            headers={"ETag": etag(error.current_version)},
        )

    return application


app = create_app()
