"""Errors of the accounts domain."""

from app.errors import ConflictError


class EmailTakenError(ConflictError):
    """Another account already uses this email."""

    def __init__(self) -> None:
        super().__init__("an account with this email already exists")
