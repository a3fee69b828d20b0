"""A project folder as every layer of the harness reads it: files, layout, dependencies.

Used by scoring, generation, the agent's workspace and the offline models alike; nothing
here runs project code.
"""

from harness.project.files import (
    IGNORED_DIRS,
    IGNORED_SUFFIXES,
    MAX_BYTES,
    TOOL_CACHE_DIRS,
    content_hash,
    copy_files,
    folder_hash,
    ignored_dir,
    ignored_file,
    read_bytes_safely,
    walk_files,
)
from harness.project.layout import LayoutKind, ProjectLayout, detect_layout
from harness.project.loader import Project, copy_project, load_project
from harness.project.requirements import DeclaredRequirement

__all__ = [
    "IGNORED_DIRS",
    "IGNORED_SUFFIXES",
    "MAX_BYTES",
    "TOOL_CACHE_DIRS",
    "DeclaredRequirement",
    "LayoutKind",
    "Project",
    "ProjectLayout",
    "content_hash",
    "copy_files",
    "copy_project",
    "detect_layout",
    "folder_hash",
    "ignored_dir",
    "ignored_file",
    "load_project",
    "read_bytes_safely",
    "walk_files",
]
