"""Probes of references/errors-and-logging.md: domain errors, the 500 path, structlog, uvicorn."""

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from fastapi import FastAPI
from httpx2 import ASGITransport, AsyncClient

from claimkit import TEMPLATE, block_after, ruff_codes, text

pytestmark = pytest.mark.anyio
ERRORS = "references/errors-and-logging.md"


def client(app: FastAPI, *, raise_app_exceptions: bool = True) -> AsyncClient:
    transport = ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    return AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
def fresh_logging() -> Iterator[None]:
    """Put logging and structlog back as they were after a probe configures them."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    servers = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate)
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
    }
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()
    root.handlers[:], level = saved
    root.setLevel(level)
    for name, (handlers, propagate) in servers.items():
        server = logging.getLogger(name)
        server.handlers[:] = handlers
        server.propagate = propagate
        server.filters.clear()


@pytest.mark.claim(
    ERRORS, 'Render any domain error as {"detail", "code"} with its status.'
)
async def test_domain_errors_become_their_status_and_code() -> None:
    from app.exceptions import PostNotFoundError, app

    @app.get("/posts/{post_id}")
    async def get_post(post_id: int) -> None:
        raise PostNotFoundError(post_id)

    async with client(app) as http:
        response = await http.get("/posts/3")
    assert response.status_code == 404
    assert response.json() == {"detail": "Post 3 not found", "code": "post_not_found"}


@pytest.mark.claim(ERRORS, "Name exceptions `...Error` (ruff N818).")
@pytest.mark.claim(ERRORS, "(ruff B904 requires one or the other)")
@pytest.mark.claim(ERRORS, "never `except Exception: pass` (ruff BLE001)")
@pytest.mark.claim(
    ERRORS, "`logger.error` in an `except` loses the traceback (ruff TRY400)"
)
@pytest.mark.claim(
    ERRORS, "never in an f-string message (ruff G004 for stdlib logging)"
)
@pytest.mark.claim(ERRORS, "No `print()` in application code (ruff T201).")
def test_ruff_enforces_the_error_and_logging_rules(tmp_path: Path) -> None:
    code = """
    import logging

    logger = logging.getLogger(__name__)


    class PostNotFound(Exception):
        pass


    def load(post_id: int) -> None:
        try:
            int("x")
        except ValueError:
            raise PostNotFound
        try:
            int("y")
        except Exception:
            pass
        try:
            int("z")
        except ValueError:
            logger.error("failed")
        logger.info(f"loaded {post_id}")
        print(post_id)
    """
    codes = ruff_codes(tmp_path, code, "N818,B904,BLE001,TRY400,G004,T201")
    assert codes == ["B904", "BLE001", "G004", "N818", "T201", "TRY400"]


@pytest.mark.claim(ERRORS, "Do not add 422; FastAPI does.")
async def test_fastapi_documents_422_itself() -> None:
    from pydantic import BaseModel

    class Body(BaseModel):
        title: str

    app = FastAPI()

    @app.post("/posts", responses={409: {"description": "Title already taken"}})
    async def create(body: Body) -> str:
        return body.title

    async with client(app) as http:
        responses = (await http.get("/openapi.json")).json()["paths"]["/posts"]["post"]
    assert set(responses["responses"]) == {"200", "409", "422"}


@pytest.mark.claim(ERRORS, "Log with traceback, answer without details.")
@pytest.mark.claim(
    ERRORS,
    "After the handler has sent the 500, Starlette's `ServerErrorMiddleware` re-raises the exception, on purpose",
)
@pytest.mark.claim(ERRORS, "`httpx2.ASGITransport` raises it into the test.")
async def test_the_500_handler_answers_then_starlette_re_raises(
    capsys: pytest.CaptureFixture[str], fresh_logging: None
) -> None:
    from app.handlers import app

    structlog.configure(  # plain text: structlog's default renders tracebacks slowly
        processors=[
            structlog.processors.format_exc_info,
            structlog.processors.KeyValueRenderer(),
        ]
    )

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("password=hunter2")

    async with client(app) as http:
        with pytest.raises(RuntimeError, match="hunter2"):
            await http.get("/boom")
    async with client(app, raise_app_exceptions=False) as http:
        response = await http.get("/boom")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal server error",
        "code": "internal_error",
    }
    logged = capsys.readouterr().out
    assert "unhandled_error" in logged
    assert "RuntimeError" in logged


@pytest.mark.claim(
    ERRORS, 'uvicorn logs it a second time ("Exception in ASGI application")'
)
@pytest.mark.claim(
    ERRORS, "the template's `configure_logging` drops that copy with a logging filter"
)
async def test_uvicorn_logs_the_re_raised_error_and_the_filter_drops_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, fresh_logging: None
) -> None:
    import uvicorn
    from httpx2 import AsyncHTTPTransport

    from app.log import _not_reraised

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        raise RuntimeError("boom")

    socket = tmp_path / "app.sock"
    server = uvicorn.Server(
        uvicorn.Config(app, uds=str(socket), lifespan="off", log_config=None)
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    transport = AsyncHTTPTransport(uds=str(socket))
    async with AsyncClient(transport=transport, base_url="http://app") as http:
        response = await http.get("/")
    server.should_exit = True
    await serving
    assert response.status_code == 500
    copies = [r for r in caplog.records if r.name == "uvicorn.error" and r.exc_info]
    assert [r.getMessage() for r in copies] == ["Exception in ASGI application\n"]
    assert not _not_reraised(copies[0])


@pytest.mark.claim(
    "SKILL.md", "uvicorn's loggers have their own handlers with `propagate=False`"
)
@pytest.mark.claim(
    ERRORS,
    "uvicorn's own logging config gives `uvicorn` and `uvicorn.access` their own handlers with `propagate: False` (`uvicorn.error` logs through `uvicorn`)",
)
def test_uvicorns_logging_config() -> None:
    from uvicorn.config import LOGGING_CONFIG

    loggers = LOGGING_CONFIG["loggers"]
    assert loggers["uvicorn"] == {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    assert loggers["uvicorn.access"]["propagate"] is False
    assert "handlers" not in loggers["uvicorn.error"]


@pytest.mark.claim(ERRORS, "The template's `src/app/log.py`:")
def test_the_log_block_is_the_templates_log_py() -> None:
    block = block_after(text(ERRORS), "The template's `src/app/log.py`:")
    template = (TEMPLATE / "src/app/log.py").read_text()
    assert block.strip() in template


@pytest.mark.claim(
    ERRORS,
    "`make_filtering_bound_logger(level)` drops an event below the level before any processor runs; without it the root logger's level still filters, after the processors did the work",
)
def test_both_levels_filter_but_only_one_saves_the_work(
    capsys: pytest.CaptureFixture[str], fresh_logging: None
) -> None:
    from app.log import configure_logging

    processed: list[str] = []

    def count(_: object, __: str, event: dict[str, object]) -> dict[str, object]:
        processed.append(str(event["event"]))
        return event

    for wrapper in (None, structlog.stdlib.BoundLogger):
        configure_logging("WARNING")
        config = structlog.get_config()
        processors = [count, *config["processors"]]
        if wrapper is None:  # the template's filtering logger
            structlog.configure(processors=processors, cache_logger_on_first_use=False)
        else:
            structlog.configure(
                processors=processors,
                wrapper_class=wrapper,
                cache_logger_on_first_use=False,
            )
        structlog.get_logger("probe").info("quiet")
        structlog.get_logger("probe").warning("loud")
    out = capsys.readouterr().out
    assert out.count('"event": "loud"') == 2
    assert "quiet" not in out
    assert processed == ["loud", "quiet", "loud"]


@pytest.mark.claim(
    ERRORS,
    'without an exception processor `logger.exception` prints `"exc_info": true` and no traceback',
)
@pytest.mark.claim(
    ERRORS,
    "`dict_tracebacks` alone includes every frame's local variables, passwords included",
)
def test_exception_rendering_without_and_with_locals(
    capsys: pytest.CaptureFixture[str], fresh_logging: None
) -> None:
    def fail() -> None:
        password = "hunter2"  # noqa: S105 - the local the probe looks for
        raise RuntimeError(len(password))

    def log(*processors: structlog.typing.Processor) -> str:
        structlog.configure(
            processors=[*processors, structlog.processors.JSONRenderer()],
            cache_logger_on_first_use=False,
        )
        try:
            fail()
        except RuntimeError:
            structlog.get_logger().exception("failed")
        return capsys.readouterr().out

    assert '"exc_info": true' in log()
    assert "hunter2" in log(structlog.processors.dict_tracebacks)
    hidden = log(
        structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        )
    )
    assert "RuntimeError" in hidden
    assert "hunter2" not in hidden


@pytest.mark.claim(
    ERRORS,
    "without `ProcessorFormatter` and the uvicorn loggers re-routed, the server still logs plain text",
)
def test_configure_logging_routes_uvicorn_through_json(
    capsys: pytest.CaptureFixture[str], fresh_logging: None
) -> None:
    import logging.config

    from uvicorn.config import LOGGING_CONFIG

    from app.log import configure_logging

    logging.config.dictConfig(LOGGING_CONFIG)  # what uvicorn does at start
    logging.getLogger("uvicorn.error").info("Started server process")
    assert "INFO:     Started server process" in capsys.readouterr().err
    configure_logging("INFO")
    logging.getLogger("uvicorn.error").info("Application startup complete.")
    line = json.loads(capsys.readouterr().out)
    assert (line["event"], line["level"]) == ("Application startup complete.", "info")


@pytest.mark.claim(ERRORS, "clear it per request with `clear_contextvars()`")
def test_context_variables_bind_and_clear(fresh_logging: None) -> None:
    structlog.contextvars.bind_contextvars(request_id="r1")
    assert structlog.contextvars.get_contextvars() == {"request_id": "r1"}
    structlog.contextvars.clear_contextvars()
    assert structlog.contextvars.get_contextvars() == {}
