"""Moved to :mod:`harness.project` (every layer reads project folders); kept as an alias."""

from harness.project import (
    IGNORED_DIRS,
    IGNORED_SUFFIXES,
    Project,
    copy_project,
    load_project,
    read_bytes_safely,
    remove_tree,
    walk_files,
)

__all__ = [
    "IGNORED_DIRS",
    "IGNORED_SUFFIXES",
    "Project",
    "copy_project",
    "load_project",
    "read_bytes_safely",
    "remove_tree",
    "walk_files",
]
