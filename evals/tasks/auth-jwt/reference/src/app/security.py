"""Password hashing and access tokens."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from starlette.concurrency import run_in_threadpool

from app.config import Settings

ALGORITHM = "HS256"

_hasher = PasswordHash.recommended()
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


async def hash_password(password: str) -> str:
    """The Argon2 hash of a password (computed off the event loop)."""
    return await run_in_threadpool(_hasher.hash, password)


async def verify_password(password: str, hashed: str | None) -> bool:
    """Whether the password matches the hash; None (no such user) never matches."""
    matches = await run_in_threadpool(_hasher.verify, password, hashed or _DUMMY_HASH)
    return matches and hashed is not None


@dataclass(frozen=True)
class AccessToken:
    """A signed token and its lifetime in seconds."""

    token: str
    expires_in: int


def create_access_token(user_id: int, settings: Settings) -> AccessToken:
    """A signed token naming the user in ``sub``, valid for the configured minutes."""
    now = datetime.now(UTC)
    lifetime = timedelta(minutes=settings.access_token_minutes)
    claims = {"sub": str(user_id), "iat": now, "exp": now + lifetime}
    token = jwt.encode(
        claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM
    )
    return AccessToken(token=token, expires_in=int(lifetime.total_seconds()))


def user_id_from_token(token: str, settings: Settings) -> int | None:
    """The user id a valid token names, or None if it is invalid or expired."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"]},
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims["sub"]
    return int(subject) if isinstance(subject, str) and subject.isdigit() else None
