"""Request-scoped checks: is the caller an administrator?"""

import secrets
from typing import Annotated

from fastapi import Depends, Header

from app.config import Settings, get_settings
from app.customers.exceptions import AdminOnlyError


def is_admin(
    settings: Annotated[Settings, Depends(get_settings)],
    x_admin_key: Annotated[str | None, Header()] = None,
) -> bool:
    """Whether ``X-Admin-Key`` holds the administrators' key."""
    expected = settings.admin_key.get_secret_value()
    return x_admin_key is not None and secrets.compare_digest(x_admin_key, expected)


IsAdmin = Annotated[bool, Depends(is_admin)]


def require_admin(admin: IsAdmin) -> None:
    """Refuse callers without the administrators' key."""
    if not admin:
        raise AdminOnlyError
