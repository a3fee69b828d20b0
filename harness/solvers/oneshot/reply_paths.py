"""Where a one-shot reply names a file: headings, fence info strings, first-line comments.

:func:`path_from_header` reads a line above a fence, :func:`path_from_info` a fence's info
string, :func:`path_from_comment` a block's first line; :func:`check_path` refuses paths a
reply may not write (absolute, ``..``, ``.git``, ``.agents``...).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

#: Files without a dot in their name that are still recognised as file names.
BARE_FILE_NAMES = frozenset(
    {"Dockerfile", "Makefile", "Procfile", "LICENSE", "README", "Containerfile"}
)
#: Top-level folders a reply may not write into.
FORBIDDEN_ROOTS = frozenset({".git", ".agents", ".venv", "__pycache__"})

_PATH_TOKEN = re.compile(r"[A-Za-z0-9_.\-/\\]+")
_INFO_PATH = re.compile(
    r"""(?:title|file|filename|path|name)\s*=\s*["']?(?P<path>[^"'\s]+)["']?"""
)
_COMMENT_PATH = re.compile(
    r"^\s*(?:#|//|--|<!--)\s*(?:file(?:name)?:\s*)?(?P<path>\S+)"
)
_HEADER_PREFIX = re.compile(
    r"^\s*(?:#{1,6}\s*|[-*]\s+)?(?:\*\*|__)?\s*"
    r"(?:(?:new\s+)?file(?:name)?|path|create|update)?\s*[:\-]?\s*",
    re.IGNORECASE,
)


def check_path(raw: str) -> tuple[str | None, str | None]:
    """Normalise a file path from a reply and say why it is unusable, if it is.

    Args:
        raw: The path as the model wrote it.

    Returns:
        ``(path, None)`` for a usable relative POSIX path, or ``(None, reason)``.
    """
    text = raw.strip().strip("`'\"*").strip()
    text = text.removeprefix("./")
    if not text:
        return None, "the file path is empty"
    if "\\" in text:
        text = text.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return None, f"path {raw!r} is absolute: give it relative to the project root"
    parts = [part for part in PurePosixPath(text).parts if part not in ("", ".")]
    if not parts:
        return None, f"path {raw!r} names no file"
    if ".." in parts:
        return None, f"path {raw!r} leaves the project (contains '..')"
    if parts[0] in FORBIDDEN_ROOTS:
        return None, f"path {raw!r} is inside {parts[0]}/, which a reply may not write"
    if text.endswith("/"):
        return None, f"path {raw!r} is a folder, not a file"
    if any(len(part) > 255 for part in parts) or len(parts) > 32:
        return None, f"path {raw!r} is too long"
    return "/".join(parts), None


def _looks_like_path(token: str) -> bool:
    # "src//app\\main.py" is a path (check_path normalises it); "https://x.py" is not.
    if not token or token.startswith("-") or "://" in token:
        return False
    name = token.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if name in BARE_FILE_NAMES:
        return True
    stem, dot, suffix = name.rpartition(".")
    if not dot or not suffix or not re.fullmatch(r"[A-Za-z0-9]{1,10}", suffix):
        return False
    # "e.g." or "3.12" are not files; ".env" and "py.typed" are.
    return not re.fullmatch(r"[0-9.]+", name) and (bool(stem) or len(suffix) > 1)


def path_from_header(line: str) -> str | None:
    """The file path a heading-like line names, or None.

    Accepts ``### app/main.py``, ``**app/main.py**``, ``File: `app/main.py` (new)``,
    ``app/main.py:``, ``- app/main.py`` and the like. The line must be short and mostly
    the path: a sentence that mentions a file is not a header.

    Args:
        line: One line of the reply.

    Returns:
        The raw path, or None.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 200 or stripped.startswith(("```", "~~~")):
        return None
    is_heading = stripped.startswith("#")
    rest = _HEADER_PREFIX.sub("", stripped, count=1)
    rest = rest.strip().strip("*_").strip()
    backticked = re.match(r"^`([^`]+)`", rest)
    if backticked:
        candidate = backticked.group(1).strip()
        trailing = rest[backticked.end() :]
    else:
        match = _PATH_TOKEN.match(rest)
        if match is None:
            return None
        candidate = match.group(0)
        trailing = rest[match.end() :]
    candidate = candidate.rstrip(":")
    trailing = trailing.strip().strip("*_:").strip()
    # Allow a short remark after the path: "(new)", "- the app", "(updated)".
    if trailing and not is_heading and not re.fullmatch(r"\(.{0,40}\)", trailing):
        return None
    if trailing and is_heading and len(trailing) > 60:
        return None
    return candidate if _looks_like_path(candidate) else None


def path_from_info(info: str) -> str | None:
    """The path a fence's info string names (```` ```python title="app/main.py" ````), if any."""
    info = info.strip()
    if not info:
        return None
    named = _INFO_PATH.search(info)
    if named:
        return named.group("path")
    for word in re.split(r"[\s:]+", info):
        cleaned = word.strip("{}")
        if (
            "." in cleaned
            and _looks_like_path(cleaned)
            and ("/" in cleaned or not re.fullmatch(r"[A-Za-z0-9+#-]+", cleaned))
        ):
            return cleaned
    return None


def path_from_comment(first_line: str) -> str | None:
    """The path a block's first-line comment names (``# app/main.py``), if any."""
    match = _COMMENT_PATH.match(first_line)
    if match is None:
        return None
    candidate = match.group("path").rstrip(":").removesuffix("-->")
    if "/" not in candidate and "." not in candidate:
        return None
    return candidate if _looks_like_path(candidate) else None


__all__ = [
    "BARE_FILE_NAMES",
    "FORBIDDEN_ROOTS",
    "check_path",
    "path_from_comment",
    "path_from_header",
    "path_from_info",
]
