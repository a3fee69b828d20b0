"""Request-scoped access to the app's session factory and mailer."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.mailer import Mailer


def get_session_factory(request: Request) -> async_sessionmaker[AsyncSession]:
    """The factory the lifespan created (background work opens its own sessions)."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessions
    return factory


def get_mailer(request: Request) -> Mailer:
    """The mail gateway client the lifespan created."""
    mailer: Mailer = request.app.state.mailer
    return mailer


SessionFactoryDep = Annotated[
    async_sessionmaker[AsyncSession], Depends(get_session_factory)
]
MailerDep = Annotated[Mailer, Depends(get_mailer)]
