"""The scopes a token can carry."""

from enum import StrEnum


class Scope(StrEnum):
    """One permission; a token carries a subset of its user's scopes."""

    ITEMS_READ = "items:read"
    ITEMS_WRITE = "items:write"
    ITEMS_DELETE = "items:delete"
    USERS_WRITE = "users:write"


DESCRIPTIONS = {
    Scope.ITEMS_READ: "List and read items.",
    Scope.ITEMS_WRITE: "Create items.",
    Scope.ITEMS_DELETE: "Delete items.",
    Scope.USERS_WRITE: "Create users.",
}


def joined(scopes: set[str]) -> str:
    """Scopes as the sorted, space-separated string OAuth2 uses."""
    return " ".join(sorted(scopes))
