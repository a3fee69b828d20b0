"""Unix sockets the harness listens on for a sandbox, bound so that no host path shows.

When a sandboxed process connects to a socket the harness bound (the model gateway's, bound
in read-only), the kernel creates the accepted end in the *connecting* side's network
namespace with a copy of the listener's address: ``/proc/net/unix`` inside the sandbox then
lists that address. Bound through ``/proc/self/fd/N/NAME`` (``N`` a descriptor of the
folder), the address names a descriptor, not the host folder; the socket file is the same.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path


def listen_unix(path: Path, *, backlog: int = 128, mode: int = 0o666) -> socket.socket:
    """A listening unix socket at ``path`` whose address names no host folder.

    Args:
        path: Where the socket file goes (an existing folder the harness owns).
        backlog: ``listen`` backlog.
        mode: The socket file's permissions.

    Returns:
        The bound, listening socket (an address like ``/proc/self/fd/7/gw.sock``); hand
        it to the server (``uvicorn.Server.serve(sockets=[...])``).
    """
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path.name, dir_fd=folder)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(f"/proc/self/fd/{folder}/{path.name}")
            os.chmod(path.name, mode, dir_fd=folder)
            server.listen(backlog)
        except BaseException:
            server.close()
            raise
    finally:
        os.close(folder)
    return server


__all__ = ["listen_unix"]
