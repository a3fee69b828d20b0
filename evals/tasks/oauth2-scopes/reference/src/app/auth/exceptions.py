"""Errors of the auth domain."""

from app.errors import AppError, ConflictError


class UsernameTakenError(ConflictError):
    """Another account has this username."""

    def __init__(self, username: str) -> None:
        super().__init__(f"username {username} is taken")


class ScopeNotGrantedError(AppError):
    """A token was requested with scopes its user does not have (OAuth2 invalid_scope)."""

    def __init__(self, scopes: set[str]) -> None:
        super().__init__(f"invalid_scope: not granted: {' '.join(sorted(scopes))}")
