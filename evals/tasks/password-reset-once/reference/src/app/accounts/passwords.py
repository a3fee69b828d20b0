"""Argon2id password hashing, off the event loop.

Parameters are OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): each hash costs
tens of milliseconds rather than pwdlib's heavier defaults, which a small instance that
hashes on every sign-up, login and reset cannot afford.
"""

from anyio import to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19_456, parallelism=1),))
#: Verified when the account does not exist, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash("dummy password, compared when the user is unknown")


async def hash_password(password: str) -> str:
    """The Argon2 hash of ``password``."""
    return await to_thread.run_sync(_hasher.hash, password)


async def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed`` (a dummy hash when ``None``)."""
    stored = hashed if hashed is not None else _DUMMY_HASH
    valid = await to_thread.run_sync(_hasher.verify, password, stored)
    return valid and hashed is not None
