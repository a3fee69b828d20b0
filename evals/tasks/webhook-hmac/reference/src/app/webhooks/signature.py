"""Verify the provider's signature: HMAC-SHA256 of ``<timestamp>.<raw body>``."""

import hashlib
import hmac

from app.webhooks.exceptions import BadSignatureError

SCHEME = "sha256="


def sign(key: bytes, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(
    *,
    key: bytes,
    body: bytes,
    timestamp: str | None,
    signatures: str | None,
    now: float,
    tolerance: int,
) -> None:
    """Accept the request only if signed with ``key`` within the replay window.

    Raises:
        BadSignatureError: On a missing header, a bad timestamp or no valid signature.
    """
    if not timestamp or not signatures:
        msg = "missing X-Timestamp or X-Signature"
        raise BadSignatureError(msg)
    try:
        sent_at = int(timestamp)
    except ValueError:
        msg = "X-Timestamp must be whole Unix seconds"
        raise BadSignatureError(msg) from None
    expected = sign(key, timestamp, body)
    candidates = [part.strip() for part in signatures.split(",")]
    if not any(
        candidate.startswith(SCHEME)
        and hmac.compare_digest(candidate.removeprefix(SCHEME), expected)
        for candidate in candidates
    ):
        msg = "no valid signature"
        raise BadSignatureError(msg)
    if abs(now - sent_at) > tolerance:
        msg = "the request is outside the replay window"
        raise BadSignatureError(msg)
