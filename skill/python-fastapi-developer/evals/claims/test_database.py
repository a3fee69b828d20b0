"""Probes of references/database.md (and the template's model comment): SQLAlchemy, Alembic."""

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import BackgroundTasks, Depends, FastAPI
from httpx2 import ASGITransport, AsyncClient
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.exc import (
    IntegrityError,
    InvalidRequestError,
    OperationalError,
    PendingRollbackError,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from claimkit import TEMPLATE, missing_greenlet, ruff_codes, run, write

pytestmark = pytest.mark.anyio
DATABASE = "references/database.md"


async def blog(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The reference's models (the block at `file: src/app/blog.py`), with two authors."""
    from app.blog import Author, Base, Post

    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    factory = async_sessionmaker(engine, expire_on_commit=False)
    async with factory() as session:
        ann = Author(name="ann")
        session.add_all(
            [ann, Author(name="bob"), Post(title="a", content="c", author=ann)]
        )
        await session.commit()
    return factory


@pytest.mark.claim(DATABASE, "Aggregate in SQL, not in Python: one row per author.")
@pytest.mark.claim(
    DATABASE, "`Result.tuples()` and `.t` are deprecated (`SADeprecationWarning`)"
)
@pytest.mark.claim(
    DATABASE,
    "A `Row` acts as a tuple in 2.1: unpack it or pass `rows.all()` to `dict()`",
)
async def test_rows_unpack_and_tuples_is_deprecated(engine: AsyncEngine) -> None:
    from sqlalchemy.exc import SADeprecationWarning

    from app.blog import Author, post_counts_by_author

    factory = await blog(engine)
    async with factory() as session:
        assert await post_counts_by_author(session) == {"ann": 1, "bob": 0}
        row = (await session.execute(select(Author.name, Author.id))).first()
        assert row is not None
        name, _ = row
        assert name == "ann"
        result = await session.execute(select(Author.name))
        with pytest.warns(
            SADeprecationWarning, match=r"Result.tuples\(\) method is deprecated"
        ):
            result.tuples()
        with pytest.warns(SADeprecationWarning, match=r"Result.t method is deprecated"):
            _ = result.t


@pytest.mark.claim(
    DATABASE,
    "`selectinload` issues one extra `SELECT ... WHERE id IN (...)` per relationship",
)
@pytest.mark.claim(
    DATABASE,
    'Relationships default to `lazy="raise"`: a forgotten `selectinload` fails in tests',
)
async def test_selectinload_costs_one_query_and_lazy_raise_fails(
    engine: AsyncEngine,
) -> None:
    from app.blog import Post, posts_with_author

    factory = await blog(engine)
    statements: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda *args: statements.append(args[2]),
    )
    async with factory() as session:
        posts = await posts_with_author(session, limit=10, offset=0)
        assert [post.author.name for post in posts] == ["ann"]
        plain = await session.scalar(
            select(Post).execution_options(populate_existing=True)
        )
        assert plain is not None
    assert len(statements) == 3
    assert " IN (" in statements[1]
    async with factory() as session:
        fresh = await session.scalar(select(Post))
        assert fresh is not None
        with pytest.raises(InvalidRequestError, match="lazy='raise'"):
            _ = fresh.author


@pytest.mark.claim(DATABASE, "never f-strings (ruff S608)")
def test_ruff_flags_sql_built_from_an_f_string(tmp_path: Path) -> None:
    code = "def query(name: str) -> str:\n    return f\"SELECT * FROM post WHERE title = '{name}'\"\n"
    assert ruff_codes(tmp_path, code, "S608") == ["S608"]


@pytest.mark.claim(
    DATABASE,
    "(two flushes gathered on one session fail: `Session is already flushing`)",
)
async def test_one_session_cannot_serve_concurrent_flushes(engine: AsyncEngine) -> None:
    from sqlalchemy.exc import SAWarning

    from app.blog import Author

    factory = await blog(engine)
    async with factory() as session:

        async def add(name: str) -> None:
            session.add(Author(name=name))
            await session.flush()

        results = await asyncio.gather(add("cy"), add("di"), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert failures, "both flushes went through"
        assert isinstance(failures[0], InvalidRequestError | SAWarning), failures
        await session.rollback()


@pytest.mark.claim(
    DATABASE,
    "Translate constraint violations into domain errors and roll back, so the session stays usable",
)
async def test_a_failed_commit_needs_a_rollback(engine: AsyncEngine) -> None:
    from app.blog import Author

    factory = await blog(engine)
    async with factory() as session:
        session.add(Author(name="ann"))
        with pytest.raises(IntegrityError):
            await session.commit()
        with pytest.raises(PendingRollbackError):
            await session.execute(select(Author))
        await session.rollback()
        assert len((await session.scalars(select(Author))).all()) == 2


@pytest.mark.claim(
    DATABASE,
    'Code after `yield` in a dependency runs after the response has been sent (the default `scope="request"`)',
)
@pytest.mark.claim(
    DATABASE,
    'Tasks run after the response is sent but before a `yield` dependency with the default scope finishes (after a `scope="function"` one)',
)
async def test_background_tasks_run_before_a_request_scoped_teardown() -> None:
    events: list[str] = []

    async def session() -> AsyncIterator[str]:
        events.append("open")
        yield "session"
        events.append("close")

    app = FastAPI()

    @app.post("/request")
    async def request_scope(
        _: Annotated[str, Depends(session)], tasks: BackgroundTasks
    ) -> str:
        tasks.add_task(events.append, "task")
        return "ok"

    @app.post("/function")
    async def function_scope(
        _: Annotated[str, Depends(session, scope="function")], tasks: BackgroundTasks
    ) -> str:
        tasks.add_task(events.append, "task")
        return "ok"

    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        await http.post("/request")
        assert events == ["open", "task", "close"]
        events.clear()
        await http.post("/function")
        assert events == ["open", "close", "task"]


@pytest.mark.claim(
    DATABASE,
    "Limit concurrent sessions per worker with `Depends(get_session, max_concurrency=N)`",
)
async def test_depends_takes_max_concurrency() -> None:
    running: list[int] = []
    peak: list[int] = []

    async def get_session() -> AsyncIterator[None]:
        running.append(1)
        peak.append(len(running))
        await asyncio.sleep(0.01)
        yield
        running.pop()

    app = FastAPI()
    limited = Annotated[None, Depends(get_session, max_concurrency=2)]

    @app.get("/")
    async def route(_: limited) -> None:
        return None

    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        await asyncio.gather(*(http.get("/") for _ in range(6)))
    assert max(peak) == 2


class Base(DeclarativeBase):
    pass


class Stamped(Base):
    __tablename__ = "stamped"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now()
    )


class EagerStamped(Base):
    __tablename__ = "eager_stamped"
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now()
    )


@pytest.mark.claim(
    DATABASE,
    'Server defaults come back with the INSERT on their own (the mapper\'s default `eager_defaults="auto"` uses `RETURNING`)',
)
@pytest.mark.claim(
    DATABASE,
    "a value the database sets on UPDATE (`onupdate=func.now()`) stays expired and raises `MissingGreenlet` when read, unless the model sets `eager_defaults=True`",
)
@pytest.mark.claim(
    "assets/project-template/src/app/posts/models.py",
    'created_at comes back with the INSERT anyway (eager_defaults="auto"); updated_at, set by the database on UPDATE, would stay expired and raise MissingGreenlet when read',
)
async def test_insert_defaults_come_back_update_values_do_not(
    engine: AsyncEngine,
) -> None:
    assert Stamped.__mapper__.eager_defaults == "auto"
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        plain, eager = Stamped(title="a"), EagerStamped(title="a")
        session.add_all([plain, eager])
        await session.commit()
        assert plain.created_at is not None
        plain.title = eager.title = "b"
        await session.commit()
        missing_greenlet(lambda: plain.updated_at)
        assert eager.updated_at is not None
    assert "eager_defaults" in (TEMPLATE / "src/app/posts/models.py").read_text()


@pytest.mark.claim(DATABASE, "uv run alembic init -t pyproject_async migrations")
@pytest.mark.claim(
    DATABASE,
    "The generated `env.py` and revision template do not pass the strict rule set (docstrings, `typing.Union`)",
)
@pytest.mark.claim(
    DATABASE,
    "`init` also writes an `alembic.ini` holding only a placeholder URL and logging",
)
def test_alembic_init_pyproject_async(tmp_path: Path) -> None:
    from claimkit import CONFIGS

    done = run(
        sys.executable,
        "-m",
        "alembic",
        "init",
        "-t",
        "pyproject_async",
        "migrations",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "[tool.alembic]" in (tmp_path / "pyproject.toml").read_text()
    ini = (tmp_path / "alembic.ini").read_text()
    sections = [line for line in ini.splitlines() if line.startswith("[")]
    assert sections[0] == "[alembic]"
    assert all(
        s.startswith(("[logger", "[handler", "[formatter")) for s in sections[1:]
    )
    assert "sqlalchemy.url = driver://user:pass@localhost/dbname" in ini
    lint = run(
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--no-cache",
        "--config",
        CONFIGS / "ruff.toml",
        "--output-format",
        "concise",
        "--exit-zero",
        "migrations",
        cwd=tmp_path,
    )
    assert "D103 Missing docstring" in lint.stdout, lint.stdout
    mako = (tmp_path / "migrations" / "script.py.mako").read_text()
    assert "down_revision: Union[str, Sequence[str], None]" in mako


@pytest.mark.claim(
    DATABASE,
    "a top-level `alembic/` folder makes ruff's import sorter treat the `alembic` package as first-party",
)
def test_an_alembic_folder_makes_alembic_first_party(tmp_path: Path) -> None:
    code = "import os\n\nimport sqlalchemy\nfrom alembic import op\n\nprint(os, sqlalchemy, op)\n"
    assert ruff_codes(tmp_path / "plain", code, "I") == []
    write(
        tmp_path / "folder",
        {"alembic/env.py": "x = 1\n", "pyproject.toml": "[project]\nname = 'x'\n"},
    )
    assert ruff_codes(tmp_path / "folder", code, "I") == ["I001"]


@pytest.mark.claim(
    DATABASE,
    "two migrations on the same day never overwrite each other (a date-only template does, and `alembic heads` then crashes)",
)
def test_a_date_only_file_template_loses_a_migration(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    assert (
        run(
            sys.executable,
            "-m",
            "alembic",
            "init",
            "-t",
            "generic",
            "migrations",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    config = Config(str(tmp_path / "alembic.ini"))
    config.set_main_option("script_location", str(tmp_path / "migrations"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d")
    command.revision(config, "one")
    command.revision(config, "two")
    assert len(list((tmp_path / "migrations" / "versions").glob("*.py"))) == 1
    with pytest.warns(UserWarning, match="is not present"), pytest.raises(KeyError):
        command.heads(config)


@pytest.mark.claim(
    DATABASE,
    "renders server defaults in the dialect it compared against (`(CURRENT_TIMESTAMP)` from SQLite; write `sa.func.now()`)",
)
def test_autogenerate_renders_sqlites_server_default() -> None:
    from alembic.autogenerate import produce_migrations, render_python_code
    from alembic.migration import MigrationContext

    before = MetaData()
    Table(
        "post",
        before,
        Column("id", Integer, primary_key=True),
        Column("created_at", DateTime(timezone=True), server_default=func.now()),
    )
    after = MetaData()
    Table("post", after, Column("id", Integer, primary_key=True))
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        before.create_all(connection)
        ops = produce_migrations(MigrationContext.configure(connection), after)
    engine.dispose()
    assert "server_default=sa.text('(CURRENT_TIMESTAMP)')" in render_python_code(
        ops.downgrade_ops
    )


@pytest.mark.claim(
    DATABASE,
    "`render_as_batch=True` (set in the template's `env.py` for SQLite) makes Alembic copy the table instead",
)
def test_sqlite_needs_batch_mode_to_alter(tmp_path: Path) -> None:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    assert "render_as_batch" in (TEMPLATE / "migrations/env.py").read_text()
    engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE post (id INTEGER PRIMARY KEY, title VARCHAR(10))"
        )
        operations = Operations(MigrationContext.configure(connection))
        with pytest.raises(OperationalError, match='near "ALTER": syntax error'):
            operations.alter_column("post", "title", type_=String(20))
        with operations.batch_alter_table("post") as batch:
            batch.alter_column("title", type_=String(20))
    engine.dispose()
