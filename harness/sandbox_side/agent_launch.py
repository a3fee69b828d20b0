"""Start a coding agent inside the sandbox, with a TCP-to-unix relay to the model gateway.

Usage: ``python agent_launch.py [--relay HOST:PORT=SOCKET] -- PROGRAM ARGS...``

Codex CLI speaks only TCP; the gateway listens on a unix socket bound into the sandbox. The
relay accepts on the sandbox's own loopback and pipes each connection to the socket. The agent
runs with stdin at /dev/null; its exit status is this script's. Standard library only.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import threading


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _serve(
    host: str, port: int, socket_path: str, ready: threading.Event
) -> None:
    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(socket_path)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    server = await asyncio.start_server(handle, host, port)
    ready.set()
    async with server:
        await server.serve_forever()


def main(argv: list[str]) -> int:
    """Run the relay (if asked) and the agent; return the agent's exit status."""
    if "--" not in argv:
        sys.stderr.write(
            "usage: agent_launch.py [--relay HOST:PORT=SOCKET] -- PROGRAM ...\n"
        )
        return 2
    split = argv.index("--")
    options, command = argv[:split], argv[split + 1 :]
    if len(options) == 2 and options[0] == "--relay":
        address, _, socket_path = options[1].partition("=")
        host, _, port = address.rpartition(":")
        ready = threading.Event()
        thread = threading.Thread(
            target=asyncio.run,
            args=(_serve(host, int(port), socket_path, ready),),
            daemon=True,
        )
        thread.start()
        if not ready.wait(10):
            sys.stderr.write("agent_launch: the relay did not start\n")
            return 125
    try:
        return subprocess.call(command, stdin=subprocess.DEVNULL)  # noqa: S603 - the harness's argv
    except OSError as error:
        sys.stderr.write(f"agent_launch: cannot start {command[0]}: {error}\n")
        return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
