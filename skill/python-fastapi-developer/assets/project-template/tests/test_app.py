import importlib
import logging

import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx2 import ASGITransport, AsyncClient
from pydantic import ValidationError
from pydantic_settings import SettingsError
from sqlalchemy import inspect

import app.main
from app.config import Environment, Settings
from app.database import create_engine
from app.log import configure_logging
from app.main import create_app
from app.posts.schemas import PostCreate

pytestmark = pytest.mark.anyio


async def test_docs_are_served_outside_production(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    assert "/posts/{post_id}" in response.json()["paths"]


async def test_docs_are_hidden_in_production(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": Environment.PRODUCTION})
    app = create_app(production)

    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        responses = [await http.get(path) for path in ("/openapi.json", "/docs")]

    assert [response.status_code for response in responses] == [404, 404]
    assert [response.json() for response in responses] == [{"detail": "Not Found"}] * 2


async def test_unexpected_error_is_a_generic_500(app: FastAPI) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("password=hunter2")

    # Starlette re-raises after the handler; without this flag the test gets the error.
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/boom")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal server error",
        "code": "internal_error",
    }


async def test_production_start_leaves_the_schema_to_alembic(
    settings: Settings,
) -> None:
    production = settings.model_copy(update={"environment": Environment.PRODUCTION})

    async with LifespanManager(create_app(production)):
        pass

    engine = create_engine(production.database_url)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    await engine.dispose()
    assert tables == []


def test_importing_the_factory_reads_no_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "not-json")
    with pytest.raises(SettingsError):
        Settings(_env_file=None)

    importlib.reload(app.main)  # module-level code runs again, with that environment


def test_uvicorn_logs_go_through_the_app_formatter() -> None:
    server = logging.getLogger("uvicorn.error")
    server.addHandler(logging.StreamHandler())  # what uvicorn's own config does
    server.propagate = False

    configure_logging("INFO")

    assert (server.handlers, server.propagate) == ([], True)
    duplicate = server.makeRecord(
        server.name,
        logging.ERROR,
        __file__,
        1,
        "Exception in ASGI application\n",
        (),
        None,
    )
    assert not server.filter(duplicate)


def test_blank_title_is_rejected_by_the_schema() -> None:
    with pytest.raises(ValidationError, match="at least 1 character"):
        PostCreate(title="", content="c")
