"""Folders travel between nodes as bytes: links are never followed, paths never leave."""

import os
from pathlib import Path

import pytest

from harness.cluster.bundle import (
    BundleError,
    FolderPack,
    apply_changes,
    bundle_task,
    materialise_task,
    pack_folder,
    unpack_folder,
)
from harness.tasks.loader import get_task, load_task


def test_pack_reads_regular_files_and_never_follows_a_link(tmp_path: Path):
    secret = tmp_path / "host-secret.txt"
    secret.write_text("HOST SECRET", encoding="utf-8")
    work = tmp_path / "work"
    (work / "src").mkdir(parents=True)
    (work / "src" / "app.py").write_text("print(1)\n", encoding="utf-8")
    (work / "run.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (work / "run.sh").chmod(0o755)
    (work / "leak.txt").symlink_to(secret)
    (work / "linked-dir").symlink_to(tmp_path)
    os.mkfifo(work / "pipe")  # would block a reader that opened it
    (work / "src" / "__pycache__").mkdir()
    (work / "src" / "__pycache__" / "app.cpython-312.pyc").write_bytes(b"\0")
    (work / "node_modules" / "x").mkdir(parents=True)
    (work / "node_modules" / "x" / "big.js").write_bytes(b"x" * 100)

    pack = pack_folder(work)

    assert sorted(pack.files) == ["run.sh", "src/app.py"]  # no link, no FIFO, no cache
    assert pack.executable == {"run.sh"}
    assert all(b"HOST SECRET" not in data for data in pack.files.values())


def test_pack_refuses_a_folder_past_the_limits(tmp_path: Path):
    for i in range(4):
        (tmp_path / f"f{i}").write_bytes(b"x" * 10)
    with pytest.raises(BundleError, match="too large"):
        pack_folder(tmp_path, max_files=3)
    with pytest.raises(BundleError, match="too large"):
        pack_folder(tmp_path, max_bytes=25)


@pytest.mark.parametrize("rel", ["../escape.txt", "/etc/passwd-copy", "a/../../b"])
def test_unpack_refuses_a_path_outside_the_folder(tmp_path: Path, rel: str):
    with pytest.raises(BundleError):
        unpack_folder(FolderPack({rel: b"x"}), tmp_path / "dest")
    assert not (tmp_path / "escape.txt").exists()


def test_changes_come_back_without_writing_through_a_link(tmp_path: Path):
    root = tmp_path / "work"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("a = 1\n", encoding="utf-8")
    (root / "gone.py").write_text("x\n", encoding="utf-8")
    before = pack_folder(root)
    after = FolderPack(
        {"pkg/a.py": b"a = 2\n", "pkg/new/b.py": b"b = 1\n"}, frozenset()
    )
    assert apply_changes(root, before, after) == ["gone.py", "pkg/a.py", "pkg/new/b.py"]
    assert pack_folder(root).files == after.files

    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "evil").symlink_to(outside)
    with pytest.raises(BundleError):
        apply_changes(root, pack_folder(root), FolderPack({"evil/x.py": b"1"}))
    assert list(outside.iterdir()) == []


def test_a_task_is_materialised_once_per_node_with_its_hash_checked(tmp_path: Path):
    task = get_task("crud-notes")
    bundle = bundle_task(task.root, task.id, task.content_hash())
    assert set(bundle.siblings) == {"contract.md", "probes.toml"}

    folder = materialise_task(bundle, tmp_path)
    copy = load_task(folder)
    assert copy.content_hash() == task.content_hash()
    assert copy.full_prompt() == task.full_prompt()
    assert (
        materialise_task(bundle, tmp_path) == folder
    )  # the second use reads the cache

    (folder / "prompt.md").write_text("tampered", encoding="utf-8")
    with pytest.raises(BundleError, match="hashes to"):
        materialise_task(bundle, tmp_path)
