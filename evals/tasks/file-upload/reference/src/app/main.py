"""The application: settings, lifespan (engine, tables, storage), routers, errors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import Path as AsyncPath
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.config import Settings, get_settings
from app.database import Base
from app.files.exceptions import FileError
from app.files.router import router as files_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await AsyncPath(config.storage_dir).mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        yield
        await engine.dispose()

    application = FastAPI(title="Files", lifespan=lifespan)
    application.dependency_overrides[get_settings] = lambda: config
    application.include_router(files_router)

    @application.exception_handler(FileError)
    async def file_error(_: Request, error: FileError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code, content={"detail": str(error)}
        )

    return application


app = create_app()
