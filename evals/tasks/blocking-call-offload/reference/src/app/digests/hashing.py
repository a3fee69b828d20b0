"""The key derivation: CPU-bound and blocking, so callers run it in a worker thread."""

import hashlib
import hmac

from anyio import to_thread


def derive(content: str, salt: str, iterations: int) -> str:
    """PBKDF2-HMAC-SHA256 of ``content`` as lower-case hex (blocks for up to seconds)."""
    key = hashlib.pbkdf2_hmac(
        "sha256", content.encode("utf-8"), salt.encode("utf-8"), iterations
    )
    return key.hex()


async def derive_in_thread(content: str, salt: str, iterations: int) -> str:
    """:func:`derive` off the event loop (hashlib releases the GIL while it works)."""
    return await to_thread.run_sync(derive, content, salt, iterations)


async def matches(content: str, salt: str, iterations: int, expected: str) -> bool:
    """Whether ``content`` derives to ``expected``, compared in constant time."""
    actual = await derive_in_thread(content, salt, iterations)
    return hmac.compare_digest(actual, expected)
