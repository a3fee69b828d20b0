"""structlog configured once: JSON lines, level filtering, tracebacks, stdlib routed too."""

import logging
import sys

import structlog

#: uvicorn's loggers, which its own logging config gives handlers and ``propagate=False``.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def _not_reraised(record: logging.LogRecord) -> bool:
    """Drop uvicorn's copy of an error the app's 500 handler already logged.

    Starlette re-raises every unhandled exception after the handler ran, and uvicorn logs
    it again as "Exception in ASGI application".
    """
    return not record.getMessage().startswith("Exception in ASGI application")


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    """Send structlog, stdlib and uvicorn records through one renderer at one level.

    Call it in the lifespan: the server configures its own loggers before that, so
    anything earlier is overwritten (``fastapi run`` imports the app first).

    Args:
        level: Minimum level name; lower events are dropped before any work is done.
        json: JSON lines (production) or coloured console output (development).
    """
    numeric_level = logging.getLevelNamesMapping()[level.upper()]
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric_level)
    for name in UVICORN_LOGGERS:
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
    logging.getLogger("uvicorn.error").addFilter(_not_reraised)
