"""Serve a project's ASGI app on a unix socket, with trusted fake services beside it.

Usage (inside the sandbox)::

    python /harness/serve_app.py --entrypoint pkg.main:app --socket /sock/app.sock \
        [--path /work/src --path /work] [--service NAME=FILE:ATTR@PORT ...]

Each service is served on 127.0.0.1:PORT (for the app, inside the sandbox's own network
namespace) and on ``/sock/NAME.sock`` (for the acceptance tests outside). When the app cannot
be loaded, one line ``ENTRYPOINT-ERROR: <reason>`` is printed to stderr and the exit status is 3.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import inspect
import socket
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import cast

import uvicorn

ENTRYPOINT_ERROR = 3
ASGIApp = Callable[..., Awaitable[None]]


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


def load_service(spec: str) -> tuple[str, object, int]:
    """Parse ``NAME=FILE:ATTR@PORT`` and import the service's ASGI app from FILE."""
    name, _, rest = spec.partition("=")
    target, _, port = rest.rpartition("@")
    file, _, attr = target.partition(":")
    module_spec = importlib.util.spec_from_file_location(f"_service_{name}", file)
    if module_spec is None or module_spec.loader is None:
        msg = f"cannot load service {name} from {file}"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return name, _load_attr(module, attr or "app"), int(port)


def _unix_socket(path: str) -> socket.socket:
    Path(path).unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    return sock


def _tcp_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


async def _serve(
    app: ASGIApp,
    app_socket: str,
    services: list[tuple[str, ASGIApp, int]],
    socket_dir: str,
) -> None:
    servers: list[tuple[uvicorn.Server, list[socket.socket]]] = []
    for name, service_app, port in services:
        config = uvicorn.Config(
            service_app, lifespan="off", log_level="warning", access_log=False
        )
        sockets = [_tcp_socket(port), _unix_socket(f"{socket_dir}/{name}.sock")]
        servers.append((uvicorn.Server(config), sockets))
    # The app's socket comes last: its existence tells the harness everything is ready.
    app_config = uvicorn.Config(
        app, lifespan="on", log_level="warning", access_log=False
    )
    app_server = uvicorn.Server(app_config)
    servers.append((app_server, [_unix_socket(app_socket)]))
    tasks = [
        asyncio.create_task(server.serve(sockets=sockets))
        for server, sockets in servers
    ]
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for server, _sockets in servers:
        server.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()
    if not app_server.started:
        sys.stderr.write(
            "ENTRYPOINT-ERROR: the app's lifespan startup failed (see the log above)\n"
        )
        sys.exit(ENTRYPOINT_ERROR)


def main() -> None:
    """Parse the arguments, load the app and serve it until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrypoint", required=True)
    parser.add_argument("--socket", required=True)
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--service", action="append", default=[])
    args = parser.parse_args()
    sys.path[:0] = args.path
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
    services = [
        (name, cast("ASGIApp", service), port)
        for name, service, port in map(load_service, args.service)
    ]
    asyncio.run(
        _serve(
            cast("ASGIApp", app), args.socket, services, str(Path(args.socket).parent)
        )
    )


if __name__ == "__main__":
    main()
