"""What an upload must satisfy: a clean name, an accepted type its content matches."""

import re
from collections.abc import Callable

from app.files.exceptions import UnsupportedFileTypeError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


#: Accepted media types, each with a check of the content's first bytes.
SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "image/png": lambda content: content.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda content: content.startswith(b"\xff\xd8\xff"),
    "application/pdf": lambda content: content.startswith(b"%PDF-"),
    "text/plain": _is_utf8,
}


def clean_filename(name: str | None) -> str:
    """The last path component, with unsafe characters replaced by ``_``."""
    last = re.split(r"[/\\]", name or "")[-1]
    return _UNSAFE.sub("_", last)[:255] or "upload"


def media_type(content_type: str | None) -> str:
    """The bare, lower-case media type of a ``Content-Type`` value."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_content(kind: str, content: bytes) -> None:
    """Accept only the listed types, and only when the content matches.

    Raises:
        UnsupportedFileTypeError: Otherwise.
    """
    matches = SIGNATURES.get(kind)
    if matches is None:
        msg = f"type {kind or '(none)'!r} is not accepted: send {', '.join(SIGNATURES)}"
        raise UnsupportedFileTypeError(msg)
    if not matches(content):
        msg = f"the content is not {kind}"
        raise UnsupportedFileTypeError(msg)
