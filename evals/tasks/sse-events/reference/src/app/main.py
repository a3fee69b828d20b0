"""The application: settings, lifespan (engine, tables, event broadcaster), routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.config import Settings, get_settings
from app.database import Base
from app.orders.events import Broadcaster
from app.orders.exceptions import OrderNotFoundError
from app.orders.router import router as orders_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        app.state.broadcaster = Broadcaster()
        yield
        await engine.dispose()

    application = FastAPI(title="Order board", lifespan=lifespan)
    application.include_router(orders_router)

    @application.exception_handler(OrderNotFoundError)
    async def not_found(_: Request, error: OrderNotFoundError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)}
        )

    return application


app = create_app()
