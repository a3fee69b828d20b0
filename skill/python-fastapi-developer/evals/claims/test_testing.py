"""Probes of references/testing.md: clients, lifespans, overrides, isolation, test keys."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import jwt
import pytest
from fastapi import Depends, FastAPI
from httpx2 import ASGITransport, AsyncClient
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool

from claimkit import SKILL, TEMPLATE, pytest_run, requires, text, write

pytestmark = pytest.mark.anyio
TESTING = "references/testing.md"


def client(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://test")


@pytest.mark.claim(TESTING, "One async plugin: AnyIO's, which ships with FastAPI.")
def test_anyio_brings_its_pytest_plugin_with_fastapi() -> None:
    from importlib.metadata import entry_points

    assert "anyio" in requires("fastapi")
    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins["anyio"] == "anyio.pytest_plugin"


@pytest.mark.claim(
    TESTING,
    'its "loop scope unset" deprecation warning aborts a run that treats warnings as errors; `addopts = ["-p", "no:asyncio"]` keeps it out (and is harmless when it is absent',
)
def test_disabling_an_absent_plugin_is_harmless(tmp_path: Path) -> None:
    write(tmp_path, {"test_a.py": "def test_a() -> None:\n    pass\n"})
    done = pytest_run(
        tmp_path,
        "-p",
        "no:asyncio",
        "-p",
        "no:not_installed_plugin",
        "-q",
        "-W",
        "error",
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.claim(TESTING, "`ASGITransport` does not run the lifespan")
@pytest.mark.claim(
    TESTING,
    "The sync alternative, `with TestClient(app) as client:`, runs it (only inside `with`).",
)
def test_test_client_runs_the_lifespan_only_inside_with() -> None:
    from fastapi.testclient import TestClient

    started: list[bool] = []

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        started.append(True)
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    def root() -> int:
        return len(started)

    assert TestClient(app).get("/").json() == 0
    with TestClient(app) as test_client:
        assert test_client.get("/").json() == 1


@pytest.mark.claim("SKILL.md", "(`fastapi[standard]` installs it)")
@pytest.mark.claim("SKILL.md", "Starlette's `TestClient` uses `httpx2`")
@pytest.mark.claim(
    TESTING,
    "`httpx2` is what Starlette 1.10's `TestClient` uses too; `fastapi[standard]` installs it.",
)
def test_httpx2_is_the_test_clients_http_library() -> None:
    import starlette
    import starlette.testclient

    assert starlette.__version__.startswith("1.10.")
    assert starlette.testclient.httpx.__name__ == "httpx2"
    assert "httpx2" in requires("fastapi", "standard")


@pytest.mark.claim(
    TESTING,
    "SQLAlchemy gives it a `StaticPool` (one connection), so every session of the engine sees the same database, and it disappears with the engine",
)
async def test_in_memory_sqlite_is_one_database_per_engine() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    assert isinstance(engine.pool, StaticPool)
    factory = async_sessionmaker(engine)
    async with factory() as first:
        await first.execute(sql("CREATE TABLE t (x INTEGER)"))
        await first.execute(sql("INSERT INTO t VALUES (1)"))
        await first.commit()
    async with factory() as second:
        assert (await second.execute(sql("SELECT count(*) FROM t"))).scalar() == 1
    await engine.dispose()
    other = create_async_engine("sqlite+aiosqlite://")
    async with AsyncSession(other) as third:
        found = await third.execute(sql("SELECT name FROM sqlite_master"))
        assert found.all() == []
    await other.dispose()


def get_mailer() -> str:
    return "smtp"


MailerDep = Annotated[str, Depends(get_mailer)]


@pytest.mark.claim(
    TESTING,
    "the key is the function object itself (`get_mailer`, `get_current_user`), not an alias.",
)
@pytest.mark.claim(
    TESTING, "An override of a `yield` dependency is an async generator too"
)
async def test_overrides_are_keyed_by_the_function() -> None:
    app = FastAPI()

    @app.get("/")
    async def root(mailer: MailerDep) -> str:
        return mailer

    app.dependency_overrides[MailerDep] = lambda: "alias"
    async with client(app) as http:
        assert (await http.get("/")).json() == "smtp"

    async def fake() -> AsyncIterator[str]:
        yield "fake"

    app.dependency_overrides[get_mailer] = fake
    async with client(app) as http:
        assert (await http.get("/")).json() == "fake"


KEY_LITERAL = re.compile(r"""jwt_secret=(?:SecretStr\()?["']([^"']+)["']""")


@pytest.mark.claim(
    TESTING,
    '(`jwt_secret="test-key-of-at-least-32-bytes-long"`: PyJWT warns on a shorter HS256 key)',
)
@pytest.mark.claim(
    "assets/project-template/tests/conftest.py",
    'jwt_secret="test-key-of-at-least-32-bytes-long"',
)
def test_every_test_key_the_skill_suggests_signs_without_a_warning() -> None:
    files = [
        SKILL / "SKILL.md",
        *SKILL.glob("references/*.md"),
        *TEMPLATE.rglob("*.py"),
    ]
    keys = {key for path in files for key in KEY_LITERAL.findall(path.read_text())}
    assert keys, "the skill suggests no test key any more: update this probe"
    for key in keys:
        token = jwt.encode({"sub": "1"}, key, algorithm="HS256")
        jwt.decode(token, key, algorithms=["HS256"])


@pytest.mark.claim(
    TESTING, 'with pytest.raises(ValidationError, match="at least 1 character"):'
)
def test_the_min_length_message() -> None:
    class Post(BaseModel):
        title: str = Field(min_length=1)

    with pytest.raises(ValidationError, match="at least 1 character"):
        Post(title="")


@pytest.mark.claim(TESTING, "test HTTP clients against `httpx2.MockTransport`")
async def test_mock_transport_answers_a_client() -> None:
    import httpx2

    transport = httpx2.MockTransport(lambda _: httpx2.Response(200, json={"ok": 1}))
    async with httpx2.AsyncClient(transport=transport) as http:
        assert (await http.get("https://api.example.com")).json() == {"ok": 1}


@pytest.mark.claim(
    TESTING, "Coverage: `uv run pytest --cov=app --cov-report=term-missing`"
)
@pytest.mark.claim(TESTING, "uv add --dev pytest anyio asgi-lifespan httpx2 pytest-cov")
@pytest.mark.claim(
    "references/tooling.md", "uv run pytest --cov=app --cov-report=term-missing"
)
@pytest.mark.claim(
    "references/tooling.md",
    "uv add --dev pytest anyio asgi-lifespan httpx2 pytest-cov ruff mypy",
)
def test_the_coverage_option_comes_with_its_plugin(tmp_path: Path) -> None:
    import tomllib

    write(tmp_path, {"test_a.py": "def test_a() -> None:\n    pass\n"})
    without = pytest_run(tmp_path, "-p", "no:pytest_cov", "--cov=app")
    assert without.returncode == 4
    assert "unrecognized arguments: --cov=app" in without.stderr
    assert pytest_run(tmp_path, "--cov=app", "-q").returncode == 0
    dev = tomllib.loads((TEMPLATE / "pyproject.toml").read_text())["dependency-groups"][
        "dev"
    ]
    assert any(d.startswith("pytest-cov") for d in dev)
    for rel in (TESTING, "references/tooling.md"):
        install = next(
            x for x in text(rel).splitlines() if x.startswith("uv add --dev")
        )
        assert "pytest-cov" in install.split()
