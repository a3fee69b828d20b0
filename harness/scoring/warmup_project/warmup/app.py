"""A tiny app touching the common libraries; never run, only type-checked."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import alembic.command
import alembic.config
import anyio
import httpx
import jwt
import pytest
import structlog
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import DateTime, ForeignKey, String, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
    selectinload,
)

__all__ = [
    "CORSMiddleware",
    "DateTime",
    "EmailStr",
    "ForeignKey",
    "HTTPException",
    "JSONResponse",
    "LifespanManager",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "PasswordHash",
    "Query",
    "String",
    "TestClient",
    "alembic",
    "anyio",
    "func",
    "httpx",
    "jwt",
    "pytest",
    "relationship",
    "select",
    "selectinload",
    "status",
    "structlog",
]


class Settings(BaseSettings):
    """Settings."""

    model_config = SettingsConfigDict(env_prefix="APP_")
    database_url: str = "sqlite+aiosqlite:///./app.db"


class Base(DeclarativeBase):
    """Base."""


class Item(Base):
    """Item."""

    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)


class ItemOut(BaseModel):
    """Item out."""

    model_config = ConfigDict(from_attributes=True)
    id: int = Field(ge=1)


engine = create_async_engine(Settings().database_url)
sessions = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    """Session."""
    async with sessions() as session:
        yield session


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """Lifespan."""
    yield
    await engine.dispose()


router = APIRouter()


@router.get("/items")
async def items(
    session: Annotated[AsyncSession, Depends(get_session)],
) -> list[ItemOut]:
    """Items."""
    rows = await session.scalars(select(Item))
    return [ItemOut.model_validate(row) for row in rows]


app = FastAPI(lifespan=lifespan)
app.include_router(router)
