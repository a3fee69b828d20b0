"""Host-side file operations in folders untrusted code wrote: no link is ever followed.

Each test plants what a sandboxed process could leave behind (links to host folders and
files, FIFOs, unreadable folders, deep nesting) and checks that the host outside is exactly
as before, byte and mode.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from harness.safefs import (
    LinkError,
    identities_of,
    make_folders,
    open_folder,
    read_file,
    remove_folders,
    remove_tree,
    scratch_folder,
)
from harness.solvers.workspace import remove_caches


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(info.st_mode) else b""
        found[path.relative_to(root).as_posix()] = (
            info.st_mode,
            hashlib.sha256(data).hexdigest(),
        )
    return found


@pytest.fixture
def host(tmp_path: Path) -> Path:
    """A host folder an attacker would aim at: an executable, setuid file and a secret."""
    root = tmp_path / "host"
    (root / "bin").mkdir(parents=True)
    tool = root / "bin" / "tool"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o4755)
    (root / "secret.txt").write_text("the user's key\n")
    return root


def _hostile(tmp_path: Path, host: Path, *, deep: bool = False) -> Path:
    """A folder holding what a sandboxed process could plant.

    ``deep`` adds nesting deeper than the recursion limit: only for a test that removes it
    (pytest's own clean-up of old temporary folders would recurse into it and crash).
    """
    untrusted = tmp_path / "untrusted"
    (untrusted / "a" / "b").mkdir(parents=True)
    (untrusted / "a" / "b" / "file.py").write_text("x = 1\n")
    (untrusted / "link-to-host").symlink_to(host)
    (untrusted / "a" / "link-to-bin").symlink_to(host / "bin")
    (untrusted / "a" / "link-to-secret").symlink_to(host / "secret.txt")
    os.mkfifo(untrusted / "fifo")
    locked = untrusted / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "f").write_text("f")
    (locked / "inner" / "up").symlink_to(host)
    (locked / "inner").chmod(0o000)
    locked.chmod(0o500)
    if not deep:
        return untrusted
    bottom = untrusted / "deep"
    bottom.mkdir()
    fd = os.open(bottom, os.O_RDONLY | os.O_DIRECTORY)
    try:  # deeper than the recursion limit, with a link at the bottom
        for _ in range(1500):
            os.mkdir("d", dir_fd=fd)
            child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        os.symlink(host, "bottom", dir_fd=fd)
    finally:
        os.close(fd)
    return untrusted


def test_remove_tree_deletes_everything_and_follows_no_link(
    tmp_path: Path, host: Path
) -> None:
    before = _snapshot(host)
    untrusted = _hostile(tmp_path, host, deep=True)
    remove_tree(untrusted)
    assert not untrusted.exists()
    assert _snapshot(host) == before


def test_remove_tree_on_a_link_unlinks_it(tmp_path: Path, host: Path) -> None:
    before = _snapshot(host)
    link = tmp_path / "scratch"
    link.symlink_to(host)
    remove_tree(link)
    assert not link.is_symlink()
    assert _snapshot(host) == before
    remove_tree(tmp_path / "missing")  # nothing to do, no error


def test_scratch_folder_is_removed_whatever_was_planted(
    tmp_path: Path, host: Path
) -> None:
    before = _snapshot(host)
    with scratch_folder("hs-test-", parent=tmp_path) as scratch:
        made = scratch
        (scratch / "home").symlink_to(host)
        (scratch / "d").mkdir()
        (scratch / "d" / "x").symlink_to(host / "bin" / "tool")
        (scratch / "d").chmod(0o000)
    assert not made.exists()
    assert _snapshot(host) == before


def test_read_file_reads_regular_files_only_and_never_through_a_link(
    tmp_path: Path, host: Path
) -> None:
    untrusted = _hostile(tmp_path, host)
    assert read_file(untrusted, "a/b/file.py", limit=100) == b"x = 1\n"
    assert read_file(untrusted, "a/b/file.py", limit=3) == b"x ="
    assert read_file(untrusted, "a/link-to-secret", limit=100) is None
    assert read_file(untrusted, "link-to-host/secret.txt", limit=100) is None
    assert read_file(untrusted, "a/link-to-bin/tool", limit=100) is None
    assert read_file(untrusted, "fifo", limit=100) is None  # never blocks
    assert read_file(untrusted, "a/b", limit=100) is None
    assert read_file(untrusted, "nothing.py", limit=100) is None
    with pytest.raises(LinkError):
        read_file(untrusted, "../host/secret.txt", limit=100)
    with pytest.raises(LinkError):
        read_file(untrusted, str(host / "secret.txt"), limit=100)


def test_open_folder_refuses_a_link_anywhere_on_the_way(
    tmp_path: Path, host: Path
) -> None:
    untrusted = _hostile(tmp_path, host)
    with open_folder(untrusted, "a/b") as fd, os.scandir(fd) as entries:
        assert [entry.name for entry in entries] == ["file.py"]
    for rel in ("link-to-host", "link-to-host/bin", "a/link-to-bin", "a/b/file.py"):
        with pytest.raises(LinkError), open_folder(untrusted, rel):
            pass


def test_a_folder_chain_is_removed_only_while_it_is_the_one_made(
    tmp_path: Path, host: Path
) -> None:
    before = _snapshot(host)
    root = tmp_path / "ws"
    root.mkdir()
    made = make_folders(root, ".claude/skills/demo")
    assert identities_of(root, ".claude/skills/demo") == made
    # Untouched: removed entirely.
    assert remove_folders(root, ".claude/skills/demo", made) is True
    assert not (root / ".claude").exists()
    # Renamed away and replaced by a link: the link goes, the host stays.
    made = make_folders(root, ".claude/skills/demo")
    (root / ".claude").rename(root / "moved")
    (root / ".claude").symlink_to(host)
    assert identities_of(root, ".claude/skills/demo") is None
    assert remove_folders(root, ".claude/skills/demo", made) is False
    assert not (root / ".claude").is_symlink()
    assert (root / "moved" / "skills" / "demo").is_dir()
    # Recreated by the agent with the same names: not the harness's, left alone.
    (root / ".claude" / "skills" / "demo").mkdir(parents=True)
    (root / ".claude" / "skills" / "demo" / "mine.md").write_text("agent's")
    assert identities_of(root, ".claude/skills/demo") != made
    assert remove_folders(root, ".claude/skills/demo", made) is False
    assert (root / ".claude" / "skills" / "demo" / "mine.md").exists()
    assert _snapshot(host) == before
    # A link where a folder is to be made is refused, not followed.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / ".agents").symlink_to(host)
    with pytest.raises(LinkError):
        make_folders(fresh, ".agents/skills/demo")
    assert _snapshot(host) == before


def test_remove_caches_does_not_follow_a_cache_named_link(
    tmp_path: Path, host: Path
) -> None:
    before = _snapshot(host)
    root = tmp_path / "ws"
    (root / "app" / "__pycache__").mkdir(parents=True)
    (root / "app" / "__pycache__" / "m.pyc").write_bytes(b"\0")
    (root / ".mypy_cache").symlink_to(host)
    (root / "pkg").mkdir()
    (root / "pkg" / "__pycache__").symlink_to(host / "bin")
    remove_caches(root)
    assert not (root / "app" / "__pycache__").exists()
    assert _snapshot(host) == before
