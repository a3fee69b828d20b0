"""Writing files so that a crash, a full disk or ``kill -9`` never leaves half of one."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def _read_umask() -> int:
    """The process's umask.

    Setting it is the only portable way to read it: done once, at import, before any
    thread of the harness starts.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def new_file_mode(path: Path) -> int:
    """The permissions a file written at ``path`` gets, as ``open()`` would give it.

    An existing regular file keeps its mode; a new one gets ``0666`` less the umask
    (``0644`` usually), never the ``0600`` of a temporary file.
    """
    try:
        current = path.lstat()
    except FileNotFoundError:
        return 0o666 & ~_UMASK
    if stat.S_ISREG(current.st_mode):
        return stat.S_IMODE(current.st_mode)
    return 0o666 & ~_UMASK


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, flushed, then renamed.

    The folder is created if needed. Readers see the old file or the new one, never a
    mixture; after a crash at most a stray ``.<name>.*.tmp`` file is left beside it. The
    file gets the permissions :func:`new_file_mode` gives (``0644`` under the usual umask).

    Args:
        path: The file to write.
        data: Text (written as UTF-8) or bytes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), new_file_mode(path))
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["new_file_mode", "write_atomically"]
