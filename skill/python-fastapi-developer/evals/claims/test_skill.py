"""Probes of SKILL.md: versions, the official skill, and every gotcha that names a behaviour."""

import re
import sys
import textwrap
import threading
from collections.abc import AsyncIterator
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import fastapi
import pytest
from asgi_lifespan import LifespanManager
from fastapi import Depends, FastAPI, status
from httpx2 import ASGITransport, AsyncClient
from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsError
from sqlalchemy import DateTime, ForeignKey, String, func, inspect, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from claimkit import missing_greenlet, requires, ruff_codes, text, write

pytestmark = pytest.mark.anyio
SKILL_MD = "SKILL.md"
DISTRIBUTIONS = {
    "FastAPI": "fastapi",
    "Starlette": "starlette",
    "Pydantic": "pydantic",
    "SQLAlchemy": "sqlalchemy",
    "Alembic": "alembic",
    "uvicorn": "uvicorn",
    "ruff": "ruff",
    "mypy": "mypy",
}


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "author"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    books: Mapped[list["Book"]] = relationship(back_populates="author")


class Book(Base):
    __tablename__ = "book"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    author: Mapped[Author] = relationship(back_populates="books", lazy="raise")
    updated_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now()
    )


async def tables(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    return async_sessionmaker(engine, expire_on_commit=False)


async def updated_book(session: AsyncSession) -> Book:
    """A book inserted, then updated (so the database has set ``updated_at``)."""
    book = Book(title="t", author=Author(name="ann"))
    session.add(book)
    await session.commit()
    book.title = "u"
    await session.commit()
    return book


def client(app: FastAPI, *, raise_app_exceptions: bool = True) -> AsyncClient:
    transport = ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    return AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.claim(SKILL_MD, "Verified with Python 3.12, FastAPI 0.165,")
def test_the_verified_versions_are_the_installed_ones() -> None:
    sentence = re.search(r"Verified with (.*?)\.\n\n", text(SKILL_MD), re.S)
    assert sentence is not None
    named = dict(re.findall(r"(\w+) (\d+\.\d+)", sentence[1]))
    installed = {
        name: ".".join(version(DISTRIBUTIONS[name]).split(".")[:2])
        for name in named
        if name != "Python"
    }
    installed["Python"] = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert named == installed


@pytest.mark.claim(
    SKILL_MD, "FastAPI ships its own agent skill inside the `fastapi` package."
)
@pytest.mark.claim(
    SKILL_MD, "(streaming, SSE, `max_body_size`, frontends, OpenTelemetry)"
)
def test_fastapi_ships_a_skill_covering_what_this_one_leaves_out() -> None:
    folder = Path(fastapi.__file__).parent / ".agents/skills/fastapi"
    official = (folder / "SKILL.md").read_text(encoding="utf-8")
    for topic in ("Server-Sent Events", "max_body_size", "frontend", "OpenTelemetry"):
        assert topic in official
    assert (folder / "references" / "streaming.md").is_file()


@pytest.mark.claim(SKILL_MD, "| ORM | SQLModel |")
@pytest.mark.claim(SKILL_MD, "| Type checker | ty |")
@pytest.mark.claim(SKILL_MD, "| Blocking code in async | Asyncer `asyncify` |")
def test_the_official_skill_recommends_what_the_departures_table_says() -> None:
    official = (Path(fastapi.__file__).parent / ".agents/skills/fastapi").rglob("*.md")
    said = "\n".join(path.read_text(encoding="utf-8") for path in official)
    assert "SQLModel" in said
    assert re.search(r"\bty\b", said)
    assert "asyncify" in said


@pytest.mark.claim(
    SKILL_MD, "both read `[tool.fastapi] entrypoint` and need `fastapi[standard]`"
)
@pytest.mark.claim(SKILL_MD, "**`fastapi dev`/`run`** need `fastapi[standard]`")
def test_the_cli_reads_the_entrypoint_and_comes_with_standard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi_cli.config import FastAPIConfig

    write(tmp_path, {"pyproject.toml": '[tool.fastapi]\nentrypoint = "app.asgi:app"\n'})
    monkeypatch.chdir(tmp_path)
    config = FastAPIConfig.resolve()
    assert (config.entrypoint, config.from_pyproject) == ("app.asgi:app", True)
    assert "fastapi-cli" in requires("fastapi", "standard")
    assert "fastapi-cli" not in requires("fastapi")


@pytest.mark.claim(
    SKILL_MD,
    "ruff's `ASYNC` rules catch the stdlib and `requests`, not SDKs or sync drivers.",
)
def test_ruff_async_rules_see_the_stdlib_and_requests_only(tmp_path: Path) -> None:
    seen = """
    import time

    import requests


    async def handler() -> None:
        time.sleep(1)
        requests.get("https://example.com", timeout=1)
    """
    unseen = """
    import sqlite3

    import boto3
    import psycopg2


    async def handler() -> None:
        sqlite3.connect("app.db").execute("select 1")
        psycopg2.connect("dbname=app")
        boto3.client("s3").get_object(Bucket="b", Key="k")
    """
    assert ruff_codes(tmp_path, seen, "ASYNC") == ["ASYNC210", "ASYNC251"]
    assert ruff_codes(tmp_path, unseen, "ASYNC", "sdk.py") == []


@pytest.mark.claim(SKILL_MD, "**Lazy loading under async** raises `MissingGreenlet`")
@pytest.mark.claim(SKILL_MD, '`lazy="raise"` makes tests fail loudly')
async def test_lazy_loading_under_async(engine: AsyncEngine) -> None:
    factory = await tables(engine)
    async with factory() as session:
        session.add(Book(title="t", author=Author(name="ann")))
        await session.commit()
    async with factory() as session:
        author = await session.scalar(select(Author))
        book = await session.scalar(select(Book))
        assert author is not None
        assert book is not None
        missing_greenlet(lambda: author.books)
        with pytest.raises(InvalidRequestError, match="lazy='raise'"):
            _ = book.author


@pytest.mark.claim(
    SKILL_MD,
    "**`expire_on_commit=True`** (the default) expires every attribute at commit; reading one afterwards raises `MissingGreenlet`.",
)
async def test_expire_on_commit_is_the_default_and_breaks_reads(
    engine: AsyncEngine,
) -> None:
    await tables(engine)
    async with async_sessionmaker(engine)() as session:
        assert session.sync_session.expire_on_commit is True
        author = Author(name="ann")
        session.add(author)
        await session.commit()
        missing_greenlet(lambda: author.name)


@pytest.mark.claim(
    SKILL_MD,
    "**Server-side `onupdate=func.now()`** leaves `updated_at` expired after an UPDATE",
)
async def test_onupdate_needs_eager_defaults_or_refresh(engine: AsyncEngine) -> None:
    factory = await tables(engine)
    async with factory() as session:
        book = await updated_book(session)
        missing_greenlet(lambda: book.updated_at)
        await session.refresh(book)
        assert book.updated_at is not None


@pytest.mark.claim(
    SKILL_MD, "runs after the response is sent, so a failing commit still returns 200."
)
@pytest.mark.claim(SKILL_MD, '(or `Depends(..., scope="function")`)')
async def test_code_after_yield_runs_after_the_response() -> None:
    async def failing_commit() -> AsyncIterator[None]:
        yield
        raise RuntimeError("commit failed")

    app = FastAPI()

    @app.post("/request-scope")
    async def request_scope(_: Annotated[None, Depends(failing_commit)]) -> str:
        return "saved"

    @app.post("/function-scope")
    async def function_scope(
        _: Annotated[None, Depends(failing_commit, scope="function")],
    ) -> str:
        return "saved"

    async with client(app, raise_app_exceptions=False) as http:
        late = await http.post("/request-scope")
        early = await http.post("/function-scope")
    assert (late.status_code, late.json()) == (200, "saved")
    assert early.status_code == 500


class Post(BaseModel):
    title: str | None = None


@pytest.mark.claim(SKILL_MD, '`model_dump(exclude_unset=True)` keeps `{"title": null}`')
@pytest.mark.claim(SKILL_MD, "`exclude_none=True` hides the bug")
def test_exclude_unset_keeps_an_explicit_null() -> None:
    patch = Post.model_validate({"title": None})
    assert patch.model_dump(exclude_unset=True) == {"title": None}
    assert patch.model_dump(exclude_none=True) == {}
    assert Post().model_dump(exclude_unset=True) == {}


@pytest.mark.claim(SKILL_MD, "the NOT NULL column fails at commit")
async def test_null_in_a_not_null_column_fails_at_commit(engine: AsyncEngine) -> None:
    factory = await tables(engine)
    async with factory() as session:
        author = Author(name="ann")
        session.add(author)
        await session.commit()
        author.name = None  # type: ignore[assignment]  # what setattr from a PATCH does
        with pytest.raises(IntegrityError, match="NOT NULL"):
            await session.commit()


@pytest.mark.claim(
    SKILL_MD, "Starlette re-raises it after your `Exception` handler answered 500"
)
@pytest.mark.claim(
    SKILL_MD,
    "test the 500 path with `ASGITransport(app=app, raise_app_exceptions=False)`",
)
async def test_starlette_re_raises_after_the_500_handler() -> None:
    app = FastAPI()

    @app.exception_handler(Exception)
    async def handler(*_: object) -> fastapi.responses.JSONResponse:
        return fastapi.responses.JSONResponse({"detail": "internal"}, status_code=500)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    async with client(app) as http:
        with pytest.raises(RuntimeError, match="boom"):
            await http.get("/boom")
    async with client(app, raise_app_exceptions=False) as http:
        response = await http.get("/boom")
    assert (response.status_code, response.json()) == (500, {"detail": "internal"})


@pytest.mark.claim(
    "references/errors-and-logging.md",
    "`fastapi run` given a path (or finding the app itself) imports the app, running any module-level `create_app()`, before uvicorn applies its config",
)
@pytest.mark.claim(
    SKILL_MD,
    "after uvicorn has configured logging (`fastapi run` given a path imports the app, and runs a call at import, before that)",
)
def test_fastapi_run_imports_the_app_before_uvicorn_configures_logging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi_cli import cli

    write(
        tmp_path,
        {
            "probe_app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "pyproject.toml": '[tool.fastapi]\nentrypoint = "probe_app:app"\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    imported_first: list[bool] = []

    def uvicorn_run(**_: object) -> None:  # uvicorn.run configures logging first thing
        imported_first.append("probe_app" in sys.modules)

    monkeypatch.setattr(cli.uvicorn, "run", uvicorn_run)
    monkeypatch.delitem(sys.modules, "probe_app", raising=False)
    cli._run(command="run", reload=False)  # the entrypoint from pyproject.toml
    monkeypatch.delitem(sys.modules, "probe_app", raising=False)
    cli._run(tmp_path / "probe_app.py", command="run", reload=False)  # a path
    assert imported_first == [False, True]


class RequiredSettings(BaseSettings):
    jwt_secret: str


@pytest.mark.claim(
    SKILL_MD,
    "add a required field (`jwt_secret: SecretStr`) and every test that imports that module fails without a `.env`.",
)
def test_a_missing_required_setting_fails_when_settings_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JWT_SECRET", raising=False)
    with pytest.raises(ValidationError, match="jwt_secret"):
        RequiredSettings()


@pytest.mark.claim(
    SKILL_MD,
    "**`Base.metadata.create_all` at every start** never alters an existing table",
)
async def test_create_all_never_alters_an_existing_table(engine: AsyncEngine) -> None:
    class Old(DeclarativeBase):
        pass

    class New(DeclarativeBase):
        pass

    class Before(Old):
        __tablename__ = "thing"
        id: Mapped[int] = mapped_column(primary_key=True)

    class After(New):
        __tablename__ = "thing"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(10))

    for metadata in (Old.metadata, New.metadata):
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [c["name"] for c in inspect(sync).get_columns("thing")]
        )
    assert columns == ["id"]


@pytest.mark.claim(SKILL_MD, "**`datetime.utcnow()`** is deprecated (3.12) and naive.")
def test_utcnow_is_deprecated_and_naive() -> None:
    with pytest.warns(DeprecationWarning, match="utcnow"):
        now = datetime.utcnow()  # noqa: DTZ003 - the probe calls it on purpose
    assert now.tzinfo is None


UTCNOW_REFERENCE = textwrap.dedent('''
    """Module."""

    from datetime import datetime

    from pydantic import BaseModel, Field


    class Event(BaseModel):
        """An event."""

        at: datetime = Field(default_factory=datetime.utcnow)
    ''').lstrip()
NONE_DEFAULT = textwrap.dedent('''
    """Module."""

    from pydantic import BaseModel, Field


    class Person(BaseModel):
        """A person."""

        age: int = Field(default=None)
    ''').lstrip()
MYPY_SNIPPETS = {
    "skill_utcnow_deprecated_on.py": UTCNOW_REFERENCE,
    "skill_utcnow_deprecated_off.py": '# mypy: disable-error-code="deprecated"\n'
    + UTCNOW_REFERENCE,
    "skill_none_default.py": NONE_DEFAULT,
}


@pytest.mark.claim(
    SKILL_MD,
    "ruff (DTZ003) flags the call, not the reference `default=datetime.utcnow`",
)
@pytest.mark.claim(
    SKILL_MD, "mypy reports the reference only with the `deprecated` error code on"
)
def test_the_utcnow_reference_slips_past_ruff_and_plain_strict_mypy(
    tmp_path: Path, mypy_checked: dict[str, list[str]]
) -> None:
    called = UTCNOW_REFERENCE.replace(
        "default_factory=datetime.utcnow", "default=datetime.utcnow()"
    )
    assert ruff_codes(tmp_path, UTCNOW_REFERENCE, "DTZ", "reference.py") == []
    assert ruff_codes(tmp_path, called, "DTZ", "called.py") == ["DTZ003"]
    assert mypy_checked["skill_utcnow_deprecated_on.py"] == [
        "skill_utcnow_deprecated_on.py:11: [deprecated]"
    ]
    assert mypy_checked["skill_utcnow_deprecated_off.py"] == []


@pytest.mark.claim(SKILL_MD, "SQLite still returns naive values")
async def test_sqlite_returns_naive_datetimes(engine: AsyncEngine) -> None:
    factory = await tables(engine)
    async with factory() as session:
        book = await updated_book(session)
        await session.refresh(book)
    assert book.updated_at is not None
    assert book.updated_at.tzinfo is None


@pytest.mark.claim(
    SKILL_MD, '**`@app.on_event("startup")`** is deprecated: use `lifespan`.'
)
def test_on_event_is_deprecated() -> None:
    app = FastAPI()
    with pytest.warns(DeprecationWarning, match="on_event is deprecated"):
        app.on_event("startup")


@pytest.mark.claim(
    "references/tooling.md",
    "Starlette's deprecations are `UserWarning`s and need their own line.",
)
@pytest.mark.claim(
    SKILL_MD,
    "`StarletteDeprecationWarning`, a `UserWarning` that `error::DeprecationWarning` misses",
)
@pytest.mark.claim(SKILL_MD, "(and `413 REQUEST_ENTITY_TOO_LARGE`)")
def test_deprecated_status_names_warn_outside_deprecation_warning() -> None:
    from starlette.exceptions import StarletteDeprecationWarning

    assert issubclass(StarletteDeprecationWarning, UserWarning)
    assert not issubclass(StarletteDeprecationWarning, DeprecationWarning)
    for name in ("HTTP_422_UNPROCESSABLE_ENTITY", "HTTP_413_REQUEST_ENTITY_TOO_LARGE"):
        with pytest.warns(StarletteDeprecationWarning):
            getattr(status, name)
    assert status.HTTP_422_UNPROCESSABLE_CONTENT == 422


@pytest.mark.claim(
    SKILL_MD,
    "**`AsyncClient` + `ASGITransport` skip the lifespan**, so `app.state` is empty",
)
async def test_asgi_transport_skips_the_lifespan() -> None:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ready = True
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/ready")
    async def ready() -> bool:
        return getattr(app.state, "ready", False)

    async with client(app) as http:
        assert (await http.get("/ready")).json() is False
    async with LifespanManager(app), client(app) as http:
        assert (await http.get("/ready")).json() is True


@pytest.mark.claim(
    SKILL_MD,
    "**pytest-asyncio next to AnyIO** with warnings as errors aborts the run (loop scope unset)",
)
@pytest.mark.claim(
    SKILL_MD,
    'setting `asyncio_default_fixture_loop_scope` without pytest-asyncio warns "Unknown config option"',
)
@pytest.mark.claim(
    SKILL_MD, 'The template keeps one plugin: `addopts = ["-p", "no:asyncio"]`.'
)
def test_two_async_plugins_and_warnings_as_errors(tmp_path: Path) -> None:
    from claimkit import pytest_run

    write(
        tmp_path,
        {
            "test_a.py": "import pytest\n\n@pytest.mark.anyio\nasync def test_a():\n    pass\n",
            "conftest.py": "import pytest\n\n@pytest.fixture\ndef anyio_backend():\n"
            "    return 'asyncio'\n",
        },
    )
    both = pytest_run(tmp_path, "-W", "error::DeprecationWarning", "-q")
    assert both.returncode == 3, both.stdout  # INTERNALERROR
    assert "asyncio_default_fixture_loop_scope" in both.stdout + both.stderr
    one = pytest_run(
        tmp_path, "-p", "no:asyncio", "-W", "error::DeprecationWarning", "-q"
    )
    assert one.returncode == 0, one.stdout
    write(
        tmp_path,
        {"pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n"},
    )
    unknown = pytest_run(tmp_path, "-p", "no:asyncio", "-q")
    assert "Unknown config option: asyncio_default_fixture_loop_scope" in unknown.stdout


@pytest.mark.claim(
    "references/database.md",
    "The `[asyncio]` extra installs greenlet, which SQLAlchemy 2.1 no longer installs by default.",
)
@pytest.mark.claim(
    SKILL_MD,
    "**\"requires that the Python 'greenlet' library is installed\"**: use `sqlalchemy[asyncio]`.",
)
def test_greenlet_comes_only_with_the_asyncio_extra() -> None:
    assert "greenlet" in requires("sqlalchemy", "asyncio")
    assert "greenlet" not in requires("sqlalchemy")


class ListSettings(BaseSettings):
    cors_origins: list[str] = []


@pytest.mark.claim(
    SKILL_MD,
    "**`list[str]` settings from the environment** must be JSON; `A,B` raises `SettingsError`.",
)
def test_list_settings_need_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", '["https://a.example"]')
    assert ListSettings().cors_origins == ["https://a.example"]
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example,https://b.example")
    with pytest.raises(SettingsError):
        ListSettings()


@pytest.mark.claim(
    SKILL_MD,
    "**FAST003 false positive**: a path parameter consumed only by a dependency behind an alias",
)
def test_fast003_misses_a_path_parameter_used_through_an_alias(tmp_path: Path) -> None:
    head = """
    from typing import Annotated

    from fastapi import APIRouter, Depends

    router = APIRouter()


    async def valid_post_id(post_id: int) -> int:
        return post_id


    ValidPost = Annotated[int, Depends(valid_post_id)]
    """
    aliased = (
        head
        + """

    @router.get("/posts/{post_id}")
    async def get_post(post: ValidPost) -> int:
        return post
    """
    )
    inline = (
        head
        + """

    @router.get("/posts/{post_id}")
    async def get_post(post: Annotated[int, Depends(valid_post_id)]) -> int:
        return post
    """
    )
    assert ruff_codes(tmp_path, aliased, "FAST003", "aliased.py") == ["FAST003"]
    assert ruff_codes(tmp_path, inline, "FAST003", "inline.py") == []


@pytest.mark.claim(SKILL_MD, "**`EmailStr`** needs `email-validator`")
def test_email_str_needs_email_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import EmailStr

    monkeypatch.setitem(sys.modules, "email_validator", None)
    monkeypatch.setattr("pydantic.networks.email_validator", None)
    with pytest.raises(ImportError, match="email-validator is not installed"):

        class Invite(BaseModel):
            email: EmailStr


@pytest.mark.claim(
    SKILL_MD,
    "**`int = Field(default=None)`**: defaults are not validated, so an omitted field is `None` while the type says `int` (an explicit `null` is still a 422; mypy flags the default)",
)
def test_a_none_default_is_not_validated(mypy_checked: dict[str, list[str]]) -> None:
    class Person(BaseModel):
        age: int = Field(default=None)

    assert Person().age is None
    with pytest.raises(ValidationError, match="int_type"):
        Person.model_validate({"age": None})
    assert mypy_checked["skill_none_default.py"] == [
        "skill_none_default.py:9: [assignment]"
    ]


@pytest.mark.claim(
    SKILL_MD,
    "`def` when it calls blocking code (a sync SDK, `requests`, a sync DB driver), which FastAPI runs in a thread.",
)
async def test_a_def_route_runs_in_a_worker_thread() -> None:
    app = FastAPI()

    @app.get("/sync")
    def sync_route() -> bool:
        return threading.current_thread() is threading.main_thread()

    @app.get("/async")
    async def async_route() -> bool:
        return threading.current_thread() is threading.main_thread()

    async with client(app) as http:
        assert (await http.get("/sync")).json() is False
        assert (await http.get("/async")).json() is True


@pytest.mark.claim(
    SKILL_MD, "on the default (GIL) build threads do not run Python code in parallel"
)
def test_the_environment_is_the_gil_build() -> None:
    import sysconfig

    assert not sysconfig.get_config_var("Py_GIL_DISABLED")


@pytest.mark.claim(
    SKILL_MD,
    "defaults are not validated, so it fires only when the client sent `null` (422).",
)
@pytest.mark.claim(
    SKILL_MD, "a `ValueError` in a validator becomes a 422 with your message"
)
async def test_a_null_rejecting_validator_fires_only_on_an_explicit_null() -> None:
    class PostUpdate(BaseModel):
        title: str | None = None

        @field_validator("title")
        @classmethod
        def not_null(cls, title: str | None) -> str:
            if title is None:
                raise ValueError("may be omitted but not null")
            return title

    app = FastAPI()

    @app.patch("/posts/1")
    async def patch(data: PostUpdate) -> dict[str, object]:
        return data.model_dump(exclude_unset=True)

    async with client(app) as http:
        omitted = await http.patch("/posts/1", json={})
        null = await http.patch("/posts/1", json={"title": None})
    assert (omitted.status_code, omitted.json()) == (200, {})
    assert null.status_code == 422
    assert "may be omitted but not null" in null.json()["detail"][0]["msg"]


@pytest.mark.claim(
    SKILL_MD,
    "Tests pass `Settings(_env_file=None, ...)`, so a developer's `.env` cannot leak in.",
)
def test_env_file_none_keeps_a_dot_env_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.config import Settings

    write(tmp_path, {".env": "DATABASE_URL=sqlite+aiosqlite:///./developer.db\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    secret = "k" * 32
    assert Settings(jwt_secret=secret).database_url.endswith("developer.db")
    assert Settings(_env_file=None, jwt_secret=secret).database_url.endswith("app.db")


@pytest.mark.claim(
    SKILL_MD, "jwt_secret: SecretStr = Field(min_length=32)  # HS256: 32 bytes or more"
)
def test_the_settings_block_refuses_a_short_signing_key() -> None:
    from app.config import Settings

    with pytest.raises(ValidationError, match="too_short"):
        Settings(_env_file=None, jwt_secret="test-secret")  # noqa: S106 - too short on purpose


@pytest.mark.claim(
    "references/security.md",
    "FastAPI calls each dependency once per request even if several depend on it.",
)
@pytest.mark.claim(SKILL_MD, "results are cached per request")
async def test_a_dependency_runs_once_per_request() -> None:
    calls: list[int] = []

    def lookup() -> int:
        calls.append(1)
        return len(calls)

    def owner(value: Annotated[int, Depends(lookup)]) -> int:
        return value

    app = FastAPI()

    @app.get("/")
    async def route(
        a: Annotated[int, Depends(lookup)], b: Annotated[int, Depends(owner)]
    ) -> list[int]:
        return [a, b]

    async with client(app) as http:
        assert (await http.get("/")).json() == [1, 1]
    assert calls == [1]


@pytest.mark.claim(
    SKILL_MD, "`anyio.to_thread.run_sync` (or a `def` route): AnyIO ships with FastAPI."
)
def test_anyio_ships_with_fastapi() -> None:
    assert "anyio" in requires("fastapi")
