"""The application factory: settings, lifespan (logging, engine), middleware, routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.config import Settings
from app.database import Base, create_engine, create_session_factory
from app.exceptions import AppError
from app.log import configure_logging
from app.posts.router import router as posts_router

logger = structlog.get_logger()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (the environment's by default).

    Args:
        settings: Settings to use instead of reading the environment; tests pass their
            own.

    Returns:
        The configured application.
    """
    config = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(config.log_level)
        engine = create_engine(config.database_url)
        if config.create_tables:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
        app.state.session_factory = create_session_factory(engine)
        yield
        await engine.dispose()

    app = FastAPI(
        title=config.app_name,
        lifespan=lifespan,
        openapi_url="/openapi.json" if config.show_docs else None,
    )
    app.state.settings = config
    if config.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=config.cors_origins,
            # allow_credentials stays off: a bearer token travels in a header, not a cookie.
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
        # Starlette re-raises after this handler (tests see it unless the transport has
        # raise_app_exceptions=False); log.py drops uvicorn's second copy of the traceback.
        logger.exception("unhandled_error", path=request.url.path)
        return JSONResponse(
            status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
            content={"detail": "Internal server error", "code": "internal_error"},
        )

    return app
