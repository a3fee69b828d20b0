"""Serve a project's ASGI app, or a task's trusted fake services, on unix sockets.

Usage (inside a sandbox)::

    python -s -P /harness/serve_app.py --entrypoint pkg.main:app --socket /sock/app.sock \
        [--path /work/src --path /work] [--relay PORT=/svc/NAME.sock ...]
    python -s -P /harness/serve_app.py --socket-dir /svc --service NAME=FILE:ATTR ...

The app and the fake services never share a process (nor a sandbox): the services keep what
the acceptance tests read back (the calls the app made), which the app must not be able to
rewrite. The app reaches each service on ``127.0.0.1:PORT`` of its own sandbox, through a
relay to the service's socket; the tests reach it on that socket directly.

In the app's process nothing of the project is importable until this script has imported
uvicorn and opened the relays: the interpreter starts with ``-s -P`` and no project folder
on ``PYTHONPATH``; the ``--path`` folders are put on ``sys.path`` (and on ``PYTHONPATH`` for
the app's own child processes) just before the entry point is imported.

When the app cannot be loaded, one line ``ENTRYPOINT-ERROR: <reason>`` is printed to stderr
and the exit status is 3.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import importlib.util
import inspect
import os
import socket
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import cast

import uvicorn

ENTRYPOINT_ERROR = 3
ASGIApp = Callable[..., Awaitable[None]]
#: How long a relay waits for its service's socket to accept.
RELAY_CONNECT_SECONDS = 30.0
_CHUNK = 65536


def _load_attr(module: ModuleType, attr: str) -> object:
    obj: object = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def load_app(entrypoint: str) -> object:
    """Import ``module:attr``; call ``attr`` if it is a factory taking no arguments."""
    module_name, _, attr = entrypoint.partition(":")
    module = importlib.import_module(module_name)
    obj = _load_attr(module, attr or "app")
    if inspect.isfunction(obj):
        required = [
            p
            for p in inspect.signature(obj).parameters.values()
            if p.default is p.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if not required:
            obj = obj()
    return obj


def load_service(spec: str) -> tuple[str, object]:
    """Parse ``NAME=FILE:ATTR`` and import the service's ASGI app from FILE."""
    name, _, target = spec.partition("=")
    file, _, attr = target.partition(":")
    module_spec = importlib.util.spec_from_file_location(f"_service_{name}", file)
    if module_spec is None or module_spec.loader is None:
        msg = f"cannot load service {name} from {file}"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return name, _load_attr(module, attr or "app")


def _unix_socket(path: str) -> socket.socket:
    Path(path).unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    return sock


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while chunk := await source.read(_CHUNK):
            sink.write(chunk)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()


async def _open_unix(path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect to a service's socket, waiting while the service starts."""
    deadline = time.monotonic() + RELAY_CONNECT_SECONDS
    while True:
        try:
            return await asyncio.open_unix_connection(path)
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.02)


async def _relay(port: int, target: str) -> asyncio.Server:
    """Listen on ``127.0.0.1:port`` and forward each connection to the socket ``target``."""

    async def forward(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            upstream_reader, upstream_writer = await _open_unix(target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            _pipe(reader, upstream_writer), _pipe(upstream_reader, writer)
        )
        for end in (writer, upstream_writer):
            end.close()

    return await asyncio.start_server(forward, "127.0.0.1", port)


async def _serve(servers: list[tuple[uvicorn.Server, socket.socket]]) -> None:
    """Run uvicorn servers until one ends, then stop them all."""
    tasks = [
        asyncio.create_task(server.serve(sockets=[sock])) for server, sock in servers
    ]
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for server, _sock in servers:
        server.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()


async def _serve_app(app: ASGIApp, app_socket: str, relays: list[str]) -> None:
    # Listening before the app starts, so its lifespan can call the services already.
    listening = [
        await _relay(int(port), target)
        for port, _, target in (relay.partition("=") for relay in relays)
    ]
    config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    await _serve([(server, _unix_socket(app_socket))])
    for relay in listening:
        relay.close()
    if not server.started:
        sys.stderr.write(
            "ENTRYPOINT-ERROR: the app's lifespan startup failed (see the log above)\n"
        )
        sys.exit(ENTRYPOINT_ERROR)


async def _serve_services(services: list[tuple[str, object]], socket_dir: str) -> None:
    await _serve(
        [
            (
                uvicorn.Server(
                    uvicorn.Config(
                        cast("ASGIApp", app),
                        lifespan="off",
                        log_level="warning",
                        access_log=False,
                    )
                ),
                _unix_socket(f"{socket_dir}/{name}.sock"),
            )
            for name, app in services
        ]
    )


def _app_main(args: argparse.Namespace) -> None:
    sys.path[:0] = args.path
    if args.path:
        os.environ["PYTHONPATH"] = os.pathsep.join(args.path)
    try:
        app = load_app(args.entrypoint)
    except BaseException as error:  # noqa: BLE001 - any failure to import is the project's
        traceback.print_exc()
        reason = f"{type(error).__name__}: {error}".splitlines()[0][:300]
        sys.stderr.write(
            f"ENTRYPOINT-ERROR: {args.entrypoint} did not load: {reason}\n"
        )
        sys.exit(ENTRYPOINT_ERROR)
    if not callable(app):
        sys.stderr.write(
            f"ENTRYPOINT-ERROR: {args.entrypoint} is not an ASGI app ({type(app).__name__})\n"
        )
        sys.exit(ENTRYPOINT_ERROR)
    asyncio.run(_serve_app(cast("ASGIApp", app), args.socket, args.relay))


def main() -> None:
    """Serve the app (``--entrypoint``) or the fake services (``--service``) until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrypoint")
    parser.add_argument("--socket")
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--relay", action="append", default=[])
    parser.add_argument("--service", action="append", default=[])
    parser.add_argument("--socket-dir")
    args = parser.parse_args()
    if args.entrypoint:
        _app_main(args)
    else:
        services = [load_service(spec) for spec in args.service]
        asyncio.run(_serve_services(services, args.socket_dir))


if __name__ == "__main__":
    main()
