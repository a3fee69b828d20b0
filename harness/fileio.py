"""Writing files so that a crash, a full disk or ``kill -9`` never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, flushed, then renamed.

    The folder is created if needed. Readers see the old file or the new one, never a
    mixture; after a crash at most a stray ``.<name>.*.tmp`` file is left beside it.

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
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["write_atomically"]
