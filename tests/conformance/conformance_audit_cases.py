"""Cases of the rules the second skill audit added (issue I), in test_conformance's format.

Each is ``(rule, files, expected status, expected findings as (path, line))``; files are
dedented, so line 1 is the first line of code.
"""

CaseFiles = dict[str, str]
Case = tuple[str, CaseFiles, str, list[tuple[str | None, int | None]]]

SYNC_DB = """
import sqlite3
from typing import Annotated

from fastapi import Depends
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
DbDep = Annotated[Session, Depends(SessionLocal)]

async def typed(db: Session) -> None:
    db.execute(text("select 1")).all()

async def aliased(db: DbDep) -> None:
    db.commit()

async def module_objects() -> None:
    with SessionLocal() as session:
        session.execute(text("select 1"))
    engine.connect()
    sqlite3.connect("app.db")
    Session(engine)

def sync_is_fine(db: Session) -> None:
    db.execute(text("select 1"))
"""

ASYNC_DB = """
from collections.abc import Callable
from typing import Annotated

from anyio import to_thread
from fastapi import Depends
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_async_engine("sqlite+aiosqlite://")
factory = async_sessionmaker(engine, expire_on_commit=False)
legacy = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
sync_engine = create_engine("sqlite://")
SessionDep = Annotated[AsyncSession, Depends(factory)]

async def query(session: SessionDep) -> None:
    await session.execute(text("select 1"))
    async with legacy() as other:
        await other.commit()

async def offloaded() -> None:
    def work() -> None:
        with Session(sync_engine) as session:
            session.execute(text("select 1"))

    await to_thread.run_sync(work)
"""

CORS_SETTINGS = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import Field
from pydantic_settings import BaseSettings

class Settings(BaseSettings):
    cors_origins: list[str] = ["*"]
    origin_regex: str = Field(default=".*")
    cors_credentials: bool = True
    trusted_origins: list[str] = []

def build(settings: Settings) -> FastAPI:
    app = FastAPI()
    add = app.add_middleware
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True)
    add(CORSMiddleware, allow_origins=["*"], allow_credentials=settings.cors_credentials)
    add(CORSMiddleware, allow_origin_regex=settings.origin_regex, allow_credentials=True)
    add(CORSMiddleware, allow_origins=settings.trusted_origins, allow_credentials=True)
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins)
    return app
"""

MODELS = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class Post(Base):
    __tablename__ = "post"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None]
    body: Mapped[str] = mapped_column(nullable=True)
"""

UPDATE_SCHEMA = """
from pydantic import BaseModel, field_validator

class PostUpdate(BaseModel):
    title: str | None = None
    summary: str | None = None
    body: str | None = None
"""

GUARDED_SCHEMA = (
    UPDATE_SCHEMA
    + """
    @field_validator("title")
    @classmethod
    def not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value
"""
)

# The validator names its fields through a module constant: ``field_validator(*FIELDS)``.
STARRED_SCHEMA = """
from pydantic import BaseModel, field_validator

NOT_NULLABLE = ("title",)

class PostUpdate(BaseModel):
    title: str | None = None
    summary: str | None = None
    body: str | None = None

    @field_validator(*NOT_NULLABLE)
    @classmethod
    def not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value
"""

SERVICE = """
from app.posts.models import Post
from app.posts.schemas import PostUpdate

async def update(post: Post, data: PostUpdate) -> Post:
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(post, field, value)
    return post
"""

SERVICE_SKIPPING_NULLS = """
from app.posts.models import Post
from app.posts.schemas import PostUpdate

async def update(post: Post, data: PostUpdate) -> Post:
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(post, field, value)
    changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None}
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(post, field, value)
    return post if changes else post
"""


def posts(schema: str, service: str) -> CaseFiles:
    """A posts domain with this update schema and service."""
    return {
        "src/app/posts/models.py": MODELS,
        "src/app/posts/schemas.py": schema,
        "src/app/posts/service.py": service,
    }


AUDIT_CASES: list[Case] = [
    (
        "no-sync-db-in-async",
        {"src/app/db.py": SYNC_DB},
        "fail",
        [("src/app/db.py", n) for n in (13, 16, 19, 21, 22, 23)],
    ),
    ("no-sync-db-in-async", {"src/app/db.py": ASYNC_DB}, "pass", []),
    (
        "cors-settings-wildcard",
        {"src/app/main.py": CORS_SETTINGS},
        "fail",
        [("src/app/main.py", n) for n in (15, 16, 17)],
    ),
    (
        "cors-settings-wildcard",
        {"src/app/main.py": CORS_SETTINGS.replace('["*"]', "[]").replace('".*"', '""')},
        "pass",
        [],
    ),
    (
        "patch-explicit-null",
        posts(UPDATE_SCHEMA, SERVICE),
        "fail",
        [("src/app/posts/schemas.py", 4)],
    ),
    ("patch-explicit-null", posts(GUARDED_SCHEMA, SERVICE), "pass", []),
    ("patch-explicit-null", posts(STARRED_SCHEMA, SERVICE), "pass", []),
    (
        "patch-explicit-null",
        posts(STARRED_SCHEMA.replace('("title",)', '("summary",)'), SERVICE),
        "fail",
        [("src/app/posts/schemas.py", 6)],
    ),
    ("patch-explicit-null", posts(UPDATE_SCHEMA, SERVICE_SKIPPING_NULLS), "pass", []),
]
