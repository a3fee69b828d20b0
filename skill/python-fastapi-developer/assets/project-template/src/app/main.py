"""The application factory: settings, lifespan (engine), middleware, routers, handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.config import Settings, get_settings
from app.database import Base, create_engine, create_session_factory
from app.exceptions import AppError
from app.log import configure_logging
from app.posts.router import router as posts_router

logger = structlog.get_logger()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (the environment's by default).

    Args:
        settings: Settings to use instead of ``get_settings()``; tests pass their own.

    Returns:
        The configured application.
    """
    config = settings or get_settings()
    configure_logging(config.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(config.database_url)
        async with engine.begin() as connection:
            # Convenient for SQLite and tests; production schemas come from Alembic.
            await connection.run_sync(Base.metadata.create_all)
        app.state.session_factory = create_session_factory(engine)
        yield
        await engine.dispose()

    app = FastAPI(
        title=config.app_name,
        lifespan=lifespan,
        openapi_url="/openapi.json" if config.show_docs else None,
    )
    app.dependency_overrides[get_settings] = lambda: config
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=config.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.include_router(posts_router)

    @app.exception_handler(AppError)
    async def handle_app_error(_: Request, error: AppError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code,
            content={"detail": error.detail, "code": error.code},
        )

    @app.exception_handler(Exception)
    async def handle_unexpected(request: Request, _: Exception) -> JSONResponse:
        logger.exception("unhandled_error", path=request.url.path)
        return JSONResponse(
            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
            content={"detail": "Internal server error", "code": "internal_error"},
        )

    return app


app = create_app()
