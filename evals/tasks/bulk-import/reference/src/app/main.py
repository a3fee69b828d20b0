"""The application: settings, lifespan (engine, tables), routers, error handlers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.config import Settings, get_settings
from app.contacts.exceptions import ContactNotFoundError, EmailTakenError
from app.contacts.router import router as contacts_router
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

    application = FastAPI(title="Contacts", lifespan=lifespan)
    application.include_router(contacts_router)

    @application.exception_handler(ContactNotFoundError)
    async def not_found(_: Request, error: ContactNotFoundError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_404_NOT_FOUND, content={"detail": str(error)}
        )

    @application.exception_handler(EmailTakenError)
    async def taken(_: Request, error: EmailTakenError) -> JSONResponse:
        content: dict[str, object] = {"detail": str(error)}
        if error.row is not None:
            content |= {"row": error.row, "email": error.email}
        return JSONResponse(status_code=status.HTTP_409_CONFLICT, content=content)

    return application


app = create_app()
