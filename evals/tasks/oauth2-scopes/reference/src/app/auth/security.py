"""Password hashing and signed access tokens."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from anyio import to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.auth.scopes import joined
from app.config import Settings

ALGORITHM = "HS256"

# Argon2id with OWASP's baseline cost (19 MiB, 2 passes): strong, and quick enough
# that logins do not queue up on a small server.
_hasher = PasswordHash((Argon2Hasher(memory_cost=19_456, time_cost=2, parallelism=1),))
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


async def hash_password(password: str) -> str:
    """The Argon2 hash of a password (computed off the event loop)."""
    return await to_thread.run_sync(_hasher.hash, password)


async def verify_password(password: str, hashed: str | None) -> bool:
    """Whether the password matches; ``None`` (no such user) never matches."""
    matches = await to_thread.run_sync(_hasher.verify, password, hashed or _DUMMY_HASH)
    return matches and hashed is not None


@dataclass(frozen=True)
class Principal:
    """Who a valid token names and the scopes it carries."""

    username: str
    scopes: frozenset[str]


def create_access_token(username: str, scopes: set[str], settings: Settings) -> str:
    """A token naming the user in ``sub`` with its scopes in ``scope``."""
    now = datetime.now(UTC)
    claims = {
        "sub": username,
        "scope": joined(scopes),
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(
        claims, settings.jwt_signing_key.get_secret_value(), algorithm=ALGORITHM
    )


def read_access_token(token: str, settings: Settings) -> Principal | None:
    """The principal of a valid, unexpired token signed with our key, else ``None``."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_signing_key.get_secret_value(),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"]},
        )
    except jwt.InvalidTokenError:
        return None
    subject, scope = claims["sub"], claims.get("scope", "")
    if not isinstance(subject, str) or not isinstance(scope, str):
        return None
    return Principal(username=subject, scopes=frozenset(scope.split()))
