"""Files the harness writes: whole or not at all, with the permissions open() would give."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from harness.fileio import new_file_mode, write_atomically


def umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_is_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    # Not the 0600 of a temporary file: a report must open from a web server or a
    # colleague's account like any file the user writes.
    target = tmp_path / "deep" / "report.md"
    write_atomically(target, "# report\n")
    assert target.read_text() == "# report\n"
    assert mode(target) == 0o666 & ~umask()
    assert mode(target) == new_file_mode(tmp_path / "other")


def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "summary.json"
    target.write_text("{}")
    target.chmod(0o640)
    write_atomically(target, b'{"a": 1}')
    assert mode(target) == 0o640
    assert target.read_bytes() == b'{"a": 1}'
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
