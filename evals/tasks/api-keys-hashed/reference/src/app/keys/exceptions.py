"""Errors of the keys domain, each with the HTTP status it maps to."""

from fastapi import status


class ApiKeyError(Exception):
    """Base of the domain's errors; ``status_code`` is what the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST


class KeyNotFoundError(ApiKeyError):
    """No key has the requested id."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, key_id: int) -> None:
        """Name the missing key."""
        super().__init__(f"key {key_id} not found")


class NotAuthenticatedError(ApiKeyError):
    """The credentials are missing, unknown or revoked."""

    status_code = status.HTTP_401_UNAUTHORIZED


class MissingScopeError(ApiKeyError):
    """The key is valid but lacks the scope the endpoint needs."""

    status_code = status.HTTP_403_FORBIDDEN

    def __init__(self, scope: str) -> None:
        """Name the scope."""
        super().__init__(f"this key lacks the {scope!r} scope")
