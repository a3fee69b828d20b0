"""The application: settings, lifespan (engine, tables), routers, error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.config import Settings, get_settings
from app.database import Base
from app.keys.exceptions import ApiKeyError
from app.keys.router import admin_router, partner_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; without ``ADMIN_KEY`` in the environment it fails."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Partner API", lifespan=lifespan)
    application.dependency_overrides[get_settings] = lambda: config
    application.include_router(admin_router)
    application.include_router(partner_router)

    @application.exception_handler(ApiKeyError)
    async def key_error(_: Request, error: ApiKeyError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code, content={"detail": str(error)}
        )

    return application


app = create_app()
