"""The application: lifespan (database, mailer), routers, error handler."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.campaigns.router import router as campaigns_router
from app.config import Settings, get_settings
from app.database import Base
from app.errors import install_error_handler
from app.mailer import Mailer


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    config = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(config.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        app.state.mailer = Mailer(delay_seconds=config.mail_delay_seconds)
        yield
        await engine.dispose()

    application = FastAPI(title="Campaigns", lifespan=lifespan)
    application.include_router(campaigns_router)
    install_error_handler(application)
    return application


app = create_app()
