"""Alembic environment: runs migrations on the async engine of ``DATABASE_URL``."""

import asyncio

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import get_settings
from app.database import Base
from app.models import load_models

load_models()
target_metadata = Base.metadata


def database_url() -> str:
    """``sqlalchemy.url`` when a caller set it (tests), else ``DATABASE_URL``."""
    return context.config.get_main_option("sqlalchemy.url") or (
        get_settings().database_url
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of touching a database (``--sql``)."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    """Run the migrations on a connection of the application's database."""
    engine = create_async_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
